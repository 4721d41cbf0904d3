// Entering a report's figures from the keyboard: Enter moves to the next field (as Tab does),
// and from the last field to the "Lưu nháp" button. Ctrl+Enter submits the form as a draft;
// Enter in a multi-line note still starts a new line.
(function () {
  "use strict";
  var form = document.querySelector("form[data-entry]");
  if (!form) {
    return;
  }
  var save = form.querySelector("button[name=action][value=save]");
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || event.isComposing) {
      return;
    }
    // Ctrl+Enter (Cmd+Enter on a Mac), from any field, the note included: the "Lưu nháp"
    // button's own submission, so the page comes back with its saved time and rates.
    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
      if (save && !save.disabled) {
        event.preventDefault();
        form.requestSubmit(save);
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey ||
        target.tagName !== "INPUT") {
      return;
    }
    var fields = Array.prototype.filter.call(
      form.querySelectorAll("[data-entry-field]"),
      function (field) { return !field.disabled; }
    );
    var index = fields.indexOf(target);
    if (index < 0) {
      return;
    }
    event.preventDefault();
    var next = fields[index + 1] || save;
    if (next) {
      next.focus();
      if (next.select) {
        next.select();
      }
    }
  });
})();
