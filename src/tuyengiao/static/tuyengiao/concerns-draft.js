// A report of public concern survives a lost connection (concerns/report_form.html, mine.html).
// - What is typed (text and choices, not photos) is kept in localStorage as the draft, and put
//   back when the page is opened again.
// - "Gửi" sends the form with fetch. Offline, or when the network fails, the report goes to an
//   outbox in localStorage, sent by itself when the browser is back online (or the page is
//   opened online). Each report keeps its client_id, so a resend never stores it twice.
// Without this script (or without fetch and localStorage) the form is a plain POST.
(function () {
  "use strict";
  var box = document.getElementById("concern-outbox");
  if (!box || !window.fetch || !window.FormData || !window.JSON || !storageWorks()) {
    return;
  }
  var form = document.querySelector("form[data-concern-form]");
  var status = document.querySelector("[data-concern-status]");
  var DRAFT = box.getAttribute("data-key") + "-draft";
  var OUTBOX = box.getAttribute("data-key") + "-outbox";
  var SKIP = { csrfmiddlewaretoken: true };
  var flushing = false;
  var retryTimer = null;
  var retryDelay = 30000;

  function storageWorks() {
    try {
      localStorage.setItem("tg-probe", "1");
      localStorage.removeItem("tg-probe");
      return true;
    } catch (e) {
      return false;
    }
  }

  function read(key, fallback) {
    try {
      var value = JSON.parse(localStorage.getItem(key));
      return value === null ? fallback : value;
    } catch (e) {
      return fallback;
    }
  }

  function write(key, value) {
    try {
      if (value === null) {
        localStorage.removeItem(key);
      } else {
        localStorage.setItem(key, JSON.stringify(value));
      }
    } catch (e) { /* storage full: the form still sends online */ }
  }

  function message(name) {
    return box.getAttribute("data-msg-" + name) || "";
  }

  function say(text, kind) {
    if (!status) {
      return;
    }
    status.textContent = text;
    status.className = "flash outbox-status" + (kind ? " flash-" + kind : "");
    status.hidden = !text;
  }

  // A version 4 UUID; crypto.randomUUID exists only on HTTPS, offices often serve plain HTTP.
  function uuid() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 256).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join("-");
  }

  function each(callback) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && !SKIP[el.name] && el.type !== "file" && el.type !== "submit") {
        callback(el);
      }
    });
  }

  // The form's text and choices, as {name: value}.
  function fields() {
    var data = {};
    each(function (el) {
      if ((el.type !== "radio" && el.type !== "checkbox") || el.checked) {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function fill(data) {
    each(function (el) {
      var value = data[el.name] === undefined ? "" : String(data[el.name]);
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = el.value === value;
      } else if (el.tagName === "SELECT") {
        var known = Array.prototype.some.call(el.options, function (o) { return o.value === value; });
        if (known) {
          el.value = value;
        }
      } else if (el.name !== "client_id" || value) {
        el.value = value;
      }
    });
  }

  function hasText(data) {
    return Boolean(data && ((data.title || "").trim() || (data.content || "").trim()));
  }

  function saveDraft() {
    var data = fields();
    write(DRAFT, hasText(data) ? data : null);
  }

  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".field-errors"), function (el) {
      el.textContent = "";
    });
    Array.prototype.forEach.call(form.querySelectorAll(".has-error"), function (el) {
      el.classList.remove("has-error");
    });
    var top = form.querySelector("[data-concern-errors]");
    top.textContent = "";
    top.hidden = true;
  }

  function showErrors(errors) {
    clearErrors();
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var field = form.querySelector('[data-field="' + name + '"]');
      var target = field ? field.querySelector(".field-errors") : null;
      if (!target) {
        target = form.querySelector("[data-concern-errors]");
        target.hidden = false;
      }
      if (field) {
        field.classList.add("has-error");
      }
      first = first || field || target;
      errors[name].forEach(function (text) {
        var p = document.createElement("p");
        p.className = field ? "error" : "";
        p.setAttribute("role", "alert");
        p.textContent = text;
        target.appendChild(p);
      });
    });
    if (first && first.scrollIntoView) {
      first.scrollIntoView({ block: "center" });
    }
  }

  // POST to the intake URL, asking for JSON. Resolves {ok, errors, body, login}; rejects only
  // on a network error (no answer at all).
  function post(body, background) {
    var headers = {
      "Accept": "application/json",
      "X-Requested-With": "fetch",
      "X-CSRFToken": box.getAttribute("data-csrf")
    };
    if (background) {
      headers["X-Concern-Outbox"] = "1";
    }
    return fetch(box.getAttribute("data-url"), {
      method: "POST", body: body, headers: headers, credentials: "same-origin"
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") < 0) {
        // A login page after a redirect, or an error page: not a verdict on the report.
        return { ok: false, login: response.redirected };
      }
      return response.json().then(function (json) {
        var errors = json.errors || (json.detail ? { non_field_errors: [json.detail] } : null);
        return { ok: response.ok && json.ok, errors: errors, body: json };
      });
    });
  }

  function formData(data) {
    var body = new FormData();
    Object.keys(data).forEach(function (name) { body.append(name, data[name]); });
    body.append("csrfmiddlewaretoken", box.getAttribute("data-csrf"));
    return body;
  }

  // --- the outbox -----------------------------------------------------------------------------

  function outbox() {
    return read(OUTBOX, []);
  }

  function dropFromOutbox(clientId) {
    write(OUTBOX, outbox().filter(function (item) { return item.fields.client_id !== clientId; }));
  }

  function keep(data, photos) {
    var items = outbox().filter(function (item) {
      return item.fields.client_id !== data.client_id;
    });
    items.push({ fields: data, at: Date.now() });
    write(OUTBOX, items);
    write(DRAFT, null);
    clearForm();
    say(message("offline") + (photos ? " " + message("photos") : ""), "warning");
    retryLater();
  }

  function retryLater() {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(flush, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 300000);
  }

  function flush() {
    var waiting = outbox().filter(function (item) { return !item.errors; });
    if (flushing || !waiting.length || !navigator.onLine) {
      return;
    }
    flushing = true;
    var item = waiting[0];
    say(message("sending"));
    post(formData(item.fields), true).then(function (result) {
      flushing = false;
      if (result.ok) {
        retryDelay = 30000;
        dropFromOutbox(item.fields.client_id);
        say(message("sent").replace("%s", item.fields.title || ""), "success");
        flush();
      } else if (result.errors) {
        var items = outbox();
        items.forEach(function (kept) {
          if (kept.fields.client_id === item.fields.client_id) {
            kept.errors = result.errors;
          }
        });
        write(OUTBOX, items);
        takeBackRefused();
        flush();
      } else {
        say(result.login ? message("login") : message("waiting"), "warning");
        retryLater();
      }
    }, function () {
      flushing = false;
      retryLater();
    });
  }

  // A kept report the server refused (personal data, a place no longer in scope) comes back
  // into the form, with the reasons, when the form holds nothing else.
  function takeBackRefused() {
    var refused = outbox().filter(function (item) { return item.errors; })[0];
    if (!refused) {
      return;
    }
    if (!form || hasText(fields())) {
      say(message("fix-elsewhere"), "error");
      return;
    }
    dropFromOutbox(refused.fields.client_id);
    fill(refused.fields);
    write(DRAFT, refused.fields);
    showErrors(refused.errors);
    say(message("fix"), "error");
  }

  // --- the form -------------------------------------------------------------------------------

  function clearForm() {
    var blank = JSON.parse(form.getAttribute("data-blank") || "{}");
    each(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = blank[el.name] === el.value;
      } else if (el.tagName === "SELECT") {
        el.value = blank[el.name] || "";
      } else {
        el.value = "";
      }
    });
    form.querySelector('[name="client_id"]').value = uuid();
    var photos = form.querySelector('input[type="file"]');
    if (photos) {
      photos.value = "";
    }
    clearErrors();
  }

  function setUpForm() {
    var clientId = form.querySelector('[name="client_id"]');
    var draft = read(DRAFT, null);
    if (form.getAttribute("data-bound")) {
      saveDraft(); // the page the server drew again holds what was typed
    } else if (hasText(draft)) {
      fill(draft);
      say(message("restored"));
    }
    if (!clientId.value) {
      clientId.value = uuid();
    }
    form.querySelector("[data-draft-note]").hidden = false;
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);

    var button = form.querySelector('button[type="submit"]');
    var label = button.textContent;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = fields();
      var photos = form.querySelector('input[type="file"]');
      var hasPhotos = Boolean(photos && photos.files && photos.files.length);
      if (!navigator.onLine) {
        keep(data, hasPhotos);
        return;
      }
      button.disabled = true;
      button.textContent = message("sending-now");
      var done = function () {
        button.disabled = false;
        button.textContent = label;
      };
      post(new FormData(form), false).then(function (result) {
        if (result.ok) {
          write(DRAFT, null);
          window.location.assign(result.body.next);
        } else if (result.errors) {
          done();
          showErrors(result.errors);
        } else {
          form.submit(); // let the server answer with its own page (log in again, an error)
        }
      }, function () {
        done();
        keep(data, hasPhotos);
      });
    });
  }

  if (form) {
    setUpForm();
  }
  var waiting = outbox();
  if (waiting.some(function (item) { return item.errors; })) {
    takeBackRefused();
  }
  if (waiting.some(function (item) { return !item.errors; })) {
    if (navigator.onLine) {
      flush();
    } else {
      say(message("waiting"), "warning");
    }
  }
  window.addEventListener("online", flush);
})();
