// The little the page needs beyond htmx, kept out of the HTML because the Content-Security-Policy
// allows no inline script: TodoMVC's editing gestures (double-click to edit, Escape to cancel, leaving
// the field to save), keeping keyboard focus in the list when the focused control is swapped away, not
// sending a search the page already shows, and dropping live updates for a page Back has replaced.
// Without this file everything still works through the Edit link, the Save button and Cancel.
(function () {
  "use strict";

  function inlineForm(el) {
    return el && el.closest ? el.closest("form[data-inline-edit]") : null;
  }

  // Ends an inline edit by following its Cancel link (htmx puts the task back as it was).
  function cancel(form) {
    if (form.dataset.done) return;
    form.dataset.done = "1";
    var link = form.querySelector("[data-testid=cancel]");
    if (link) link.click();
  }

  function unchanged(form) {
    return Array.prototype.every.call(form.querySelectorAll("input[type=text], textarea"), function (f) {
      return f.value === f.defaultValue;
    });
  }

  document.addEventListener("dblclick", function (e) {
    var title = e.target.closest && e.target.closest("#task-list .task-title");
    var edit = title && title.closest("li").querySelector(".edit");
    if (edit) {
      e.preventDefault();
      edit.click();
    }
  });

  document.addEventListener("keydown", function (e) {
    var form = inlineForm(e.target);
    if (form && e.key === "Escape") {
      e.preventDefault();
      cancel(form);
    }
  });

  // A press on Cancel comes before the field's blur: it must not save first.
  document.addEventListener("pointerdown", function (e) {
    var form = inlineForm(e.target);
    if (form && e.target.closest("[data-testid=cancel]")) form.dataset.done = "1";
  });

  document.addEventListener("submit", function (e) {
    var form = inlineForm(e.target);
    if (form) form.dataset.done = "1";
  });

  // Leaving the form saves, as in TodoMVC (switching to another window does not count).
  document.addEventListener("focusout", function (e) {
    var form = inlineForm(e.target);
    if (!form || form.dataset.done || !form.isConnected || !document.hasFocus()) return;
    if (e.relatedTarget && form.contains(e.relatedTarget)) return;
    if (unchanged(form)) return cancel(form);
    form.dataset.done = "1";
    form.requestSubmit();
  });

  // The list controls search as the person types, and whenever a control changes; leaving the
  // search field after typing is such a change too. A search for what the page already shows (its
  // address is the request's own) is not sent again: it would redraw the list for nothing and push
  // the same address a second time, so that Back would seem to do nothing.
  document.addEventListener("htmx:beforeRequest", function (e) {
    if (e.target.id !== "list-controls") return;
    var asked = new URL(e.detail.pathInfo.finalRequestPath, location.href);
    if (asked.pathname + asked.search === location.pathname + location.search) e.preventDefault();
  });

  // A live update's answer redraws the list the page showed when it asked. If Back or Forward has
  // since put another page in place (htmx restores it from the server, in the same document), that
  // answer is dropped: it would draw the old list over the new one.
  document.addEventListener("htmx:beforeRequest", function (e) {
    var sync = e.target;
    if (!sync.closest || !sync.closest("#live")) return;
    sync.addEventListener("htmx:beforeSwap", function (s) {
      if (!sync.isConnected) s.detail.shouldSwap = false;
    }, { once: true });
  });

  // Where focus goes when the focused control disappears in a swap (or was disabled while the
  // request ran): the same control if it is back (found by its id, or inside a task by its class),
  // else the same task's Edit link (after saving or cancelling), else the next task's checkbox (after
  // a delete, a toggle that moved the task out of the filter, or "Load more"), else the new-task field.
  var focused = null, control = null, same = null, next = null;
  document.addEventListener("htmx:beforeRequest", function (e) {
    var active = document.activeElement;
    focused = active && active.id;
    var li = e.target.closest && e.target.closest("#task-list > li");
    same = li ? li.dataset.taskId : null;
    control = li && active && li.contains(active) ? active.classList[0] : null;
    next = li && (li.nextElementSibling || li.previousElementSibling);
    if (e.target.closest && e.target.closest("#load-more")) {
      var list = document.getElementById("task-list");
      same = null;
      next = { loadMoreAfter: list && list.lastElementChild };
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    var active = document.activeElement;
    if (active && active.classList.contains("edit-title")) {
      active.setSelectionRange(active.value.length, active.value.length);
      return;
    }
    if (active && active !== document.body) return;
    var li = same && document.querySelector('#task-list > li[data-task-id="' + same + '"]');
    var target = focused && document.getElementById(focused);
    target = target || (li && control && li.querySelector("." + control)) || (li && li.querySelector(".edit"));
    if (!target && next && next.loadMoreAfter !== undefined) {
      var first = next.loadMoreAfter ? next.loadMoreAfter.nextElementSibling : document.querySelector("#task-list > li");
      target = first && first.querySelector(".check");
    } else if (!target && next && next.isConnected) {
      target = next.querySelector(".check");
    }
    target = target || document.getElementById("new-title");
    if (target) target.focus();
  });
})();
