// Behaviour every page may use, from data attributes: the Content-Security-Policy allows no
// inline script and no on…= attribute in the templates.
(function () {
  "use strict";

  // <select data-autosubmit>: choosing sends its form (the language selector).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });

  // <input data-filter-target="#table">: hides the rows whose data-key lacks a typed word; the
  // key ignores diacritics like the server's (the children of a unit).
  var key = function (s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ");
  };
  document.querySelectorAll("input[data-filter-target]").forEach(function (input) {
    var rows = document.querySelectorAll(input.dataset.filterTarget + " tbody tr[data-key]");
    input.addEventListener("input", function () {
      var words = key(input.value).split(/\s+/).filter(Boolean);
      rows.forEach(function (row) {
        var k = row.dataset.key;
        row.hidden = !words.every(function (w) { return k.indexOf(w) >= 0; });
      });
    });
  });
})();
