/* Forms marked data-submit-once are sent once: a second click while the first answer is
   on its way does nothing (the server also refuses a repeated send). Coming back to the
   page with the browser's back button makes the form usable again, and so does an answer
   that never comes (after 30 s, so that a lost connection does not lock the form). */
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-submit-once]");
  forms.forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "1";
      form.setAttribute("aria-busy", "true");
      setTimeout(function () { release(form); }, 30000);
    });
  });

  function release(form) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
  }

  window.addEventListener("pageshow", function () { forms.forEach(release); });
})();
