// What the page does with messages and failed requests, beyond htmx (no inline script: CSP):
//   - every failure ends in the one message region (#flashes), never in place of the content: a
//     network failure or a timeout (htmx shows nothing for those) and an error answer that is not
//     the app's own (a proxy's page) get a message with "Try again", which sends the same request;
//   - messages can be dismissed; an offer to undo dismissed stays dismissed in this tab;
//   - text typed into the new-task form while an add is on its way is kept when the form is redrawn;
//   - fields with a length limit say how much is left near it; Ctrl/⌘+Enter in a description saves.
// Without this file the forms still work, and every answer is a whole page with its messages.
(function () {
  "use strict";

  var dismissedKey = "todo-dismissed-undo";

  function dismissed() {
    try {
      return JSON.parse(sessionStorage.getItem(dismissedKey) || "[]");
    } catch (e) {
      return [];
    }
  }

  function button(cls, text, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = text;
    if (label) b.setAttribute("aria-label", label);
    return b;
  }

  // show puts one message in the region, in place of what it held (messages never pile up).
  function show(text, retry) {
    var slot = document.getElementById("flashes");
    if (!slot) return;
    var toast = document.createElement("div");
    toast.className = "toast toast-error";
    toast.setAttribute("role", "alert");
    toast.setAttribute("data-testid", "error-message");
    var p = document.createElement("p");
    p.className = "toast-text";
    p.textContent = text;
    toast.appendChild(p);
    if (retry) {
      var again = button("toast-action", "Try again");
      again.setAttribute("data-testid", "retry");
      again.addEventListener("click", function () {
        slot.replaceChildren();
        retry();
      });
      toast.appendChild(again);
    }
    var close = button("toast-close", "×", "Dismiss this message");
    close.setAttribute("data-dismiss", "");
    toast.appendChild(close);
    slot.replaceChildren(toast);
  }

  // stillThere is the form or link a failed request came from, or the one that has replaced it
  // since (a live update redraws a task's row): found by its id, or by its action (or address) in
  // the row of the same task. Null when the task has left the page.
  function stillThere(elt) {
    if (elt.isConnected) return elt;
    if (elt.id) return document.getElementById(elt.id);
    var li = elt.closest("li[data-task-id]");
    var row = li && document.querySelector('#task-list > li[data-task-id="' + li.dataset.taskId + '"]');
    if (!row) return null;
    var attr = elt.tagName === "FORM" ? "action" : "href";
    return Array.prototype.find.call(row.querySelectorAll(elt.tagName), function (c) {
      return c.getAttribute(attr) === elt.getAttribute(attr);
    }) || null;
  }

  // sameButton is the button of form that sends what submitter sent: the same name, value and
  // formaction. A redrawn row's checkbox that now sends the other state has none.
  function sameButton(form, submitter) {
    return Array.prototype.find.call(form.querySelectorAll("button"), function (b) {
      return b.name === submitter.name && b.value === submitter.value &&
        b.getAttribute("formaction") === submitter.getAttribute("formaction");
    });
  }

  // resend is what "Try again" does: the same form sent by the same button, or the same link, even
  // when its row has been redrawn meanwhile. It never sends what the control shows now instead: the
  // task changed elsewhere, and that would undo the other change.
  function resend(detail) {
    var elt = detail.elt;
    var ev = detail.requestConfig && detail.requestConfig.triggeringEvent;
    var submitter = ev && ev.submitter;
    return function () {
      var now = elt && stillThere(elt);
      if (!now) return;
      if (now.tagName !== "FORM") return now.click();
      if (!submitter) return now.requestSubmit();
      var same = sameButton(now, submitter);
      if (same) return now.requestSubmit(same);
      show("This task has changed on another page since, so that was not sent again. It shows what is stored now.");
    };
  }

  document.addEventListener("htmx:sendError", function (e) {
    show("The server could not be reached. Check your connection, then try again.", resend(e.detail));
  });
  document.addEventListener("htmx:timeout", function (e) {
    show("The server took too long to answer. Nothing was lost on this page; try again.", resend(e.detail));
  });
  // The app's own error answers go where it says (the region, or a form that shows its refusal in
  // place); every answer of the app varies by HX-Request. Anything else that fails (a proxy's error
  // page) is not put on the page: the content stays as it was.
  document.addEventListener("htmx:beforeSwap", function (e) {
    var xhr = e.detail.xhr;
    if (xhr.status < 400 || /\bHX-Request\b/i.test(xhr.getResponseHeader("Vary") || "")) return;
    e.detail.shouldSwap = false;
    e.detail.isError = false; // said below, in words
    show("Something went wrong on the way (status " + xhr.status + "). Nothing was changed on this page; try again.", resend(e.detail));
  });

  document.addEventListener("click", function (e) {
    var close = e.target.closest && e.target.closest("[data-dismiss]");
    if (!close) return;
    var toast = close.closest(".toast");
    if (!toast) return;
    if (toast.dataset.undoId) {
      var ids = dismissed();
      ids.push(toast.dataset.undoId);
      try {
        sessionStorage.setItem(dismissedKey, JSON.stringify(ids.slice(-20)));
      } catch (err) { /* storage full or off: dismissed until the next page only */ }
    }
    toast.remove();
    var main = document.getElementById("new-title") || document.querySelector("main");
    if (main && document.activeElement === document.body) main.focus();
  });

  function hideDismissed(root) {
    var ids = dismissed();
    (root || document).querySelectorAll("[data-undo-id]").forEach(function (t) {
      if (ids.indexOf(t.dataset.undoId) >= 0) t.remove();
    });
  }
  document.addEventListener("DOMContentLoaded", function () { hideDismissed(); });
  if (document.readyState !== "loading") hideDismissed();

  // Typed text survives: the new-task form is emptied as soon as it is sent, so the person can type
  // the next task at once; when the answer redraws the form, what they typed meanwhile is put back
  // (and the caret after it). If the add fails, what was sent comes back into the empty field.
  var sent = null, now = null;
  function newTaskFields() {
    return { title: document.getElementById("new-title"), description: document.getElementById("new-description") };
  }
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (e.target.id !== "new-task") return;
    var f = newTaskFields();
    sent = { title: f.title ? f.title.value : "", description: f.description ? f.description.value : "" };
    now = null;
    if (f.title) f.title.value = "";
    if (f.description) f.description.value = "";
  });
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (!sent || !e.detail.target || e.detail.target.id !== "new-task" || !e.detail.shouldSwap) return;
    var f = newTaskFields();
    now = {
      title: f.title ? f.title.value : "", description: f.description ? f.description.value : "",
      focused: document.activeElement && document.activeElement.id,
    };
  });
  document.addEventListener("htmx:afterSwap", function () {
    if (!sent || !now) return;
    var f = newTaskFields();
    if (f.title && now.title) f.title.value = now.title;
    if (f.description && now.description) {
      f.description.value = now.description;
      f.description.closest("details").open = true;
    }
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    if (!sent || e.target.id !== "new-task") return;
    var f = newTaskFields();
    if (!now) { // not redrawn (a failure): what was sent goes back, unless something new is there
      if (f.title && !f.title.value) f.title.value = sent.title;
      if (f.description && !f.description.value) f.description.value = sent.description;
    }
    sent = null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!now) return;
    var field = now.focused && document.getElementById(now.focused);
    now = null;
    if (field && (field.id === "new-title" || field.id === "new-description")) {
      field.focus();
      field.setSelectionRange(field.value.length, field.value.length);
    }
  });

  // How much is left, near a field's limit (maxlength), said to screen readers once it shows.
  function counterFor(field) {
    var id = field.id + "-left";
    var c = document.getElementById(id);
    if (!c) {
      c = document.createElement("p");
      c.id = id;
      c.className = "field-count";
      c.setAttribute("aria-live", "polite");
      c.setAttribute("data-testid", "chars-left");
      field.insertAdjacentElement("afterend", c);
      var d = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", d ? d + " " + id : id);
    }
    return c;
  }
  document.addEventListener("input", function (e) {
    var field = e.target;
    var max = field.maxLength;
    if (!(max > 0) || !field.id) return;
    var left = max - field.value.length;
    var near = Math.max(10, Math.round(max / 10));
    if (left > near && !document.getElementById(field.id + "-left")) return;
    var c = counterFor(field);
    c.textContent = left > near ? "" : left === 1 ? "1 character left" : left + " characters left";
  });

  // Ctrl+Enter (⌘+Enter on a Mac) in a description saves its form.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey) || e.target.tagName !== "TEXTAREA" || !e.target.form) return;
    e.preventDefault();
    e.target.form.requestSubmit();
  });
})();
