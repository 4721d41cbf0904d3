// The receivers' tree of the send page (directives/_receiver_picker.html). The page draws the
// sender's children only (and below them the units ticked already); this file fetches the units
// below them once, as JSON (data-members-url, directives:send_receivers), puts them in the tree,
// then adds a search that ignores diacritics, "select all cells" per commune and the count of
// units chosen. Without this file the page links to itself with every unit rendered.
(function () {
  "use strict";

  // The same key as the server's text.normalize.search_key.
  var key = function (s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ");
  };

  // One row as the template draws it: <li data-key data-kind><label class="check"><input> name
  // <small>— parent</small></label></li>. A row is [id, name, kind, parent's name, key].
  var memberItem = function (row, checked) {
    var item = document.createElement("li");
    item.dataset.key = row[4];
    item.dataset.kind = row[2];
    var label = document.createElement("label");
    label.className = "check";
    var box = document.createElement("input");
    box.type = "checkbox";
    box.name = "receivers";
    box.value = String(row[0]);
    box.checked = checked;
    var parent = document.createElement("small");
    parent.textContent = "— " + row[3];
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + row[1] + " "));
    label.appendChild(parent);
    item.appendChild(label);
    return item;
  };

  // Fill every group's list with its units, keeping ticked what is ticked (the units the page
  // came back with, or ticked while the list loaded).
  var fill = function (picker, groups) {
    picker.querySelectorAll("ul[data-members]").forEach(function (list) {
      var ticked = {};
      list.querySelectorAll("input:checked").forEach(function (box) { ticked[box.value] = true; });
      var rows = groups[list.dataset.members] || [];
      var items = document.createDocumentFragment();
      rows.forEach(function (row) { items.appendChild(memberItem(row, !!ticked[String(row[0])])); });
      while (list.firstChild) list.removeChild(list.firstChild);
      list.appendChild(items);
    });
  };

  var load = function (picker) {
    var url = picker.dataset.membersUrl;
    if (!url) return Promise.resolve();
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { fill(picker, data.groups); });
  };

  var setUp = function (picker) {
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
  };

  document.querySelectorAll("[data-picker]").forEach(function (picker) {
    // The link to the whole tree is for a browser without this file, or if the units below
    // cannot be fetched: the search and "select all cells" need them.
    var whole = picker.querySelector("[data-picker-whole]");
    if (whole) whole.hidden = true;
    load(picker).then(
      function () { setUp(picker); },
      function () { if (whole) whole.hidden = false; }
    );
  });
})();
