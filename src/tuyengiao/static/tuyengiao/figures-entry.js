// Entering a report's figures from the keyboard: Enter moves to the next field (as Tab does),
// and from the last field to the "Lưu nháp" button. Ctrl+Enter submits the form as a draft;
// Enter in a multi-line note still starts a new line.
(function () {
  "use strict";
  var form = document.querySelector("form[data-entry]");
  if (!form) {
    return;
  }
  form.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || event.isComposing || event.ctrlKey || event.metaKey ||
        event.altKey || event.shiftKey || target.tagName !== "INPUT") {
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
    var next = fields[index + 1] || form.querySelector("button[name=action][value=save]");
    if (next) {
      next.focus();
      if (next.select) {
        next.select();
      }
    }
  });
})();
