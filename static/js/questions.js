/* The event's questions (#17) asked of some categories only (data-categories) are shown
   only while one of those categories is chosen. Without this script they stay visible
   and say whom they are for; the server ignores them for anyone else either way. */
(function () {
  "use strict";
  var category = document.getElementById("category");
  var questions = document.querySelectorAll(".question[data-categories]");
  if (!category || !questions.length) { return; }

  function update() {
    questions.forEach(function (question) {
      var asked = question.dataset.categories.split(" ").indexOf(category.value) !== -1;
      question.hidden = !asked;
    });
  }

  category.addEventListener("change", update);
  update();
})();
