/* Dossier: keyboard use of the lookup box and a few small behaviours.
 *
 * "/" focuses the lookup box; arrow keys move through the live results; Enter opens
 * the highlighted card (the first one unless another was chosen); Esc clears.
 */
(function () {
  "use strict";

  function lookupInput() {
    return document.getElementById("lookup-q");
  }

  function lookupResults() {
    return document.getElementById("lookup-results");
  }

  function options() {
    var box = lookupResults();
    return box ? Array.prototype.slice.call(box.querySelectorAll('[role="option"]')) : [];
  }

  function setExpanded(open) {
    var input = lookupInput();
    var box = lookupResults();
    if (!input || !box) return;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    box.classList.toggle("is-open", open);
  }

  function activate(index) {
    var input = lookupInput();
    var items = options();
    items.forEach(function (item, position) {
      var active = position === index;
      item.setAttribute("aria-selected", active ? "true" : "false");
      item.classList.toggle("is-active", active);
      if (active) {
        input.setAttribute("aria-activedescendant", item.id);
        item.scrollIntoView({ block: "nearest" });
      }
    });
    if (index < 0 && input) input.removeAttribute("aria-activedescendant");
  }

  function activeIndex() {
    return options().findIndex(function (item) {
      return item.getAttribute("aria-selected") === "true";
    });
  }

  function clearLookup() {
    var input = lookupInput();
    var box = lookupResults();
    if (input) input.value = "";
    if (box) box.innerHTML = "";
    setExpanded(false);
    activate(-1);
  }

  function isTyping(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    var input = lookupInput();
    if (!input) return;
    if (event.key === "/" && !isTyping(event.target) && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      input.focus();
      input.select();
      return;
    }
    if (event.target !== input) return;
    var items = options();
    var index = activeIndex();
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      setExpanded(true);
      activate(index + 1 >= items.length ? 0 : index + 1);
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      activate(index <= 0 ? items.length - 1 : index - 1);
    } else if (event.key === "Enter" && items.length) {
      event.preventDefault();
      window.location.assign(items[index >= 0 ? index : 0].href);
    } else if (event.key === "Escape") {
      event.preventDefault();
      clearLookup();
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target !== lookupResults()) return;
    var hasContent = lookupResults().children.length > 0;
    setExpanded(hasContent);
    activate(options().length ? 0 : -1);
  });

  document.addEventListener("click", function (event) {
    var form = document.querySelector("[data-lookup]");
    if (form && !form.contains(event.target)) setExpanded(false);
  });

  document.addEventListener("focusin", function (event) {
    if (event.target === lookupInput() && options().length) setExpanded(true);
  });

  // A button marked data-once disappears after its request succeeded.
  document.addEventListener("htmx:afterRequest", function (event) {
    var element = event.detail.elt;
    if (element && element.hasAttribute("data-once") && event.detail.successful) {
      element.remove();
    }
  });

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.hasAttribute && target.hasAttribute("data-autosubmit")) {
      target.form.submit();
    }
  });
})();

/* A form that came back with errors: its summary takes the focus, so that a keyboard
 * or screen-reader user hears what to correct and can follow each link to its field. */
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
