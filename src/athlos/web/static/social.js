// The mention picker of comment forms: typing "@" and a few letters offers the people the writer may
// see (from /people/search.json); choosing one writes "@[Name](id)", which the server turns into a link.
(function () {
  "use strict";
  // "@" then a name of up to 40 characters, spaces included (names have them), up to the caret.
  var WORD = /@([^\s@\[\]()][^@\[\]()\n]{0,39})$/;

  function attach(textarea) {
    if (textarea.dataset.mentionReady) return;
    textarea.dataset.mentionReady = "1";
    var list = (textarea.closest(".mention-box") || textarea.parentElement).querySelector(".mention-options");
    var people = [];
    var chosen = 0;
    var asked = 0;

    function close() { asked++; list.hidden = true; list.replaceChildren(); people = []; }

    function show() {
      list.replaceChildren();
      people.forEach(function (person, index) {
        var item = document.createElement("li");
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", index === chosen ? "true" : "false");
        item.textContent = person.name;
        if (person.city) {
          var city = document.createElement("small");
          city.textContent = person.city;
          item.appendChild(city);
        }
        item.addEventListener("mousedown", function (event) { event.preventDefault(); pick(person); });
        list.appendChild(item);
      });
      list.hidden = people.length === 0;
    }

    function pick(person) {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var after = textarea.value.slice(textarea.selectionStart);
      var start = before.search(WORD);
      var inserted = "@[" + person.name.replace(/[\[\]]/g, "") + "](" + person.id + ") ";
      textarea.value = before.slice(0, start) + inserted + after;
      var caret = start + inserted.length;
      textarea.setSelectionRange(caret, caret);
      textarea.focus();
      close();
    }

    textarea.addEventListener("input", function () {
      var match = textarea.value.slice(0, textarea.selectionStart).match(WORD);
      if (!match) { close(); return; }
      var ask = ++asked;
      fetch(textarea.dataset.mentionSource + "?q=" + encodeURIComponent(match[1]), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) {
          if (ask !== asked) return;
          people = found;
          chosen = 0;
          show();
        })
        .catch(close);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden || people.length === 0) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        chosen = (chosen + (event.key === "ArrowDown" ? 1 : people.length - 1)) % people.length;
        show();
        event.preventDefault();
      } else if (event.key === "Enter" || event.key === "Tab") {
        pick(people[chosen]);
        event.preventDefault();
      } else if (event.key === "Escape") {
        close();
      }
    });
    textarea.addEventListener("blur", close);
  }

  function attachAll(root) {
    root.querySelectorAll("textarea[data-mention-source]").forEach(attach);
  }
  document.addEventListener("DOMContentLoaded", function () { attachAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { attachAll(event.target.parentElement || document); });
})();
