// The receivers' tree of the send page (directives/_receiver_picker.html): a search that ignores
// diacritics, "select all cells" per commune and the count of units chosen. Without this file
// the tree is still a list of checkboxes that the form posts.
(function () {
  "use strict";

  // The same key as the server's text.normalize.search_key.
  var key = function (s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ");
  };

  document.querySelectorAll("[data-picker]").forEach(function (picker) {
    var tools = picker.querySelector("[data-picker-tools]");
    var search = picker.querySelector("[data-picker-search]");
    var count = picker.querySelector("[data-picker-count]");
    var none = picker.querySelector("[data-picker-none]");
    var groups = Array.prototype.slice.call(picker.querySelectorAll(".picker-group"));
    tools.hidden = false;

    var cellBoxes = function (group) {
      return group.querySelectorAll("li[data-kind=cell] input[type=checkbox]");
    };
    var allChecked = function (boxes) {
      return boxes.length > 0 && Array.prototype.every.call(boxes, function (b) { return b.checked; });
    };
    var refresh = function () {
      var n = picker.querySelectorAll("input[type=checkbox]:checked").length;
      count.textContent = count.dataset.template.replace("%s", n.toLocaleString("vi-VN"));
      groups.forEach(function (group) {
        var button = group.querySelector("[data-pick-all]");
        if (button) {
          button.textContent = allChecked(cellBoxes(group)) ? button.dataset.labelNone : button.dataset.labelAll;
        }
      });
    };

    groups.forEach(function (group) {
      var button = group.querySelector("[data-pick-all]");
      if (!button) return;
      button.dataset.labelAll = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        var boxes = cellBoxes(group);
        var check = !allChecked(boxes);
        boxes.forEach(function (box) { box.checked = check; });
        refresh();
      });
    });
    picker.addEventListener("change", refresh);

    search.addEventListener("input", function () {
      var words = key(search.value).split(/\s+/).filter(Boolean);
      var fits = function (el) {
        var k = el.dataset.key;
        return words.every(function (w) { return k.indexOf(w) >= 0; });
      };
      var shown = 0;
      groups.forEach(function (group) {
        var found = 0;
        var named = fits(group);
        group.querySelectorAll("li[data-key]").forEach(function (member) {
          var fit = fits(member);
          member.hidden = !(fit || named);
          if (fit) found += 1;
        });
        var fit = named || found > 0;
        group.hidden = !fit;
        if (fit) shown += 1;
        var details = group.querySelector("details");
        if (details) details.open = words.length > 0 && found > 0;
      });
      none.hidden = shown > 0;
    });
    // Enter in the search box filters; it must not send the form.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
    refresh();
  });
})();
