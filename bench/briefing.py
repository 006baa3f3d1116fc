"""The briefing builders on a 30-session event with 120 recommendations (target < 5 s).

`python -m bench.briefing` prints one line per format; tests use `sample_report` too.
"""

from __future__ import annotations

from datetime import date

from eventapp.builders.briefing import (
    AgendaItem,
    BriefingReport,
    CountRow,
    EventReport,
    MeetingPair,
    PanelOutcome,
    RecommendationItem,
)


def sample_report(
    sessions: int = 4, recommendations: int = 8, *, meetings: bool = True
) -> BriefingReport:
    """One event with `sessions` panels sharing `recommendations` recommendations."""
    per_panel = max(1, recommendations // sessions)
    panels = []
    for index in range(sessions):
        items = tuple(
            RecommendationItem(
                number=n + 1,
                text_en=f"Panel {index + 1} asks governments to align export rules, item {n + 1}.",
                text_ko="" if n == 0 else f"패널 {index + 1} 권고 {n + 1}: 수출 규정을 조율한다.",
                owners=("Ministry of Science and ICT", "U.S. Department of Commerce")[
                    : 1 + (n % 2)
                ],
                made_by=("Minji Kim", "Acme Space"),
                tags=("supply-chain",),
                follow_up="Open",
                due_on=date(2027, 3, 1) if n % 2 else None,
                note="Raised again at the reception." if n == 1 else "",
            )
            for n in range(per_panel)
        )
        panels.append(
            PanelOutcome(
                title=f"Panel {index + 1}: Partnerships",
                title_ko=f"패널 {index + 1}: 파트너십",
                key_points="Opening paragraph.\n\n- first point\n- second point",
                key_points_ko="" if index == 0 else "주요 내용 단락.\n\n1. 첫째\n2. 둘째",
                recommendations=items,
            )
        )
    agenda = tuple(
        AgendaItem(
            when=f"{9 + i // 2:02d}:{30 * (i % 2):02d}-{9 + i // 2:02d}:{30 * (i % 2) + 25:02d}",
            title=f"Session {i + 1}",
            title_ko=f"세션 {i + 1}",
            kind="Panel discussion",
            room="Grand Ballroom",
            speakers=("Minji Kim (Moderator)", "이종호"),
        )
        for i in range(sessions)
    )
    event = EventReport(
        title="ROK-U.S. Space Industry Symposium",
        title_ko="한미 우주산업 심포지엄",
        dates="8 November 2023",
        venue="Lotte Hotel Seoul",
        agenda=agenda,
        checked_in=42,
        by_category=(CountRow("Government", 20), CountRow("Industry", 22)),
        by_country=(CountRow("Korea", 30), CountRow("United States", 12)),
        panels=tuple(panels),
        meetings=(MeetingPair("Korea", "United States", 7),) if meetings else None,
    )
    return BriefingReport(
        title="Briefing report · 결과 보고서",
        subtitle="ROK-U.S. Space Industry Symposium",
        generated_on="Generated 2026-12-04",
        events=(event,),
    )


def main() -> None:
    import time

    from eventapp.builders.briefing import BUILDERS

    report = sample_report(30, 120)
    for name, build in BUILDERS.items():
        started = time.perf_counter()
        data = build(report)
        seconds = time.perf_counter() - started
        print(f"briefing {name}: {seconds:.2f} s, {len(data):,} bytes (target < 5 s)")


if __name__ == "__main__":
    main()
