// A club's chat page: new and deleted messages arrive through the server-sent events of
// /clubs/{id}/chat/stream, and the form posts without a reload (it still posts plainly without scripts).
(function () {
  "use strict";

  function start(chat) {
    var list = chat.querySelector(".chat-messages");
    var empty = chat.querySelector(".chat-empty");
    var status = chat.querySelector(".chat-status");
    var template = chat.querySelector("#chat-message-template");
    var viewer = chat.querySelector("[data-viewer]");
    var viewerId = viewer.dataset.viewer;
    var isAdmin = viewer.dataset.admin === "yes";
    var clock = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      dateStyle: "short",
      timeStyle: "short",
    });
    var readTimer = null;

    function token() {
      return document.querySelector('meta[name="csrf-token"]').content;
    }

    function markRead() {
      clearTimeout(readTimer);
      readTimer = setTimeout(function () {
        fetch(chat.dataset.chatRead, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRF-Token": token() },
        });
      }, 1000);
    }

    function atBottom() {
      return window.innerHeight + window.scrollY >= document.body.scrollHeight - 120;
    }

    function textOf(pieces) {
      var fragment = document.createDocumentFragment();
      pieces.forEach(function (piece) {
        if (piece.user_id) {
          var link = document.createElement("a");
          link.className = "mention";
          link.href = "/people/" + piece.user_id;
          link.textContent = piece.text;
          fragment.appendChild(link);
        } else {
          fragment.appendChild(document.createTextNode(piece.text));
        }
      });
      return fragment;
    }

    function tombstone(item) {
      item.classList.add("deleted");
      item.textContent = "";
      var text = document.createElement("p");
      text.className = "chat-text muted";
      text.textContent = chat.dataset.deletedText;
      item.appendChild(text);
    }

    function add(message) {
      if (document.getElementById("message-" + message.id)) return;
      var item = template.content.firstElementChild.cloneNode(true);
      item.id = "message-" + message.id;
      item.dataset.messageId = message.id;
      item.dataset.author = message.author_id;
      if (message.author_id === viewerId) item.classList.add("mine");
      item.querySelector(".chat-author").textContent = message.author_name;
      var time = item.querySelector("time");
      time.dateTime = message.created_at;
      time.textContent = clock.format(new Date(message.created_at));
      item.querySelector(".chat-text").appendChild(textOf(message.pieces));
      var remove = item.querySelector(".chat-delete");
      if (message.author_id === viewerId || isAdmin) {
        remove.action = "/club-messages/" + message.id + "/delete";
      } else {
        remove.remove();
      }
      var follow = atBottom();
      list.appendChild(item);
      empty.hidden = true;
      chat.dataset.since = message.created_at;
      if (follow) item.scrollIntoView({ block: "end" });
    }

    function listen() {
      var url = chat.dataset.chatStream;
      if (chat.dataset.since) url += "?since=" + encodeURIComponent(chat.dataset.since);
      var source = new EventSource(url);
      source.addEventListener("open", function () {
        status.textContent = "";
      });
      source.addEventListener("message", function (event) {
        add(JSON.parse(event.data));
        markRead();
      });
      source.addEventListener("deleted", function (event) {
        var item = document.getElementById("message-" + JSON.parse(event.data).id);
        if (item) tombstone(item);
      });
      // Blocked (by either of the two) while the page is open: their messages go from it too.
      source.addEventListener("blocked", function (event) {
        var author = JSON.parse(event.data).user_id;
        list.querySelectorAll(".chat-message").forEach(function (item) {
          if (item.dataset.author === author) item.remove();
        });
      });
      source.addEventListener("closed", function () {
        source.close();
        status.textContent = chat.dataset.closedText;
      });
      source.addEventListener("error", function () {
        if (source.readyState !== EventSource.CLOSED) status.textContent = chat.dataset.offlineText;
      });
    }

    function showError(form, message) {
      var field = form.querySelector(".field");
      var textarea = form.querySelector("textarea");
      var error = form.querySelector(".field-error");
      if (!message) {
        if (error) error.remove();
        field.classList.remove("field-invalid");
        textarea.removeAttribute("aria-invalid");
        textarea.setAttribute("aria-describedby", "f-text-help");
        return;
      }
      if (!error) {
        error = document.createElement("p");
        error.className = "field-error";
        error.id = "f-text-error";
        field.appendChild(error);
      }
      error.textContent = message;
      field.classList.add("field-invalid");
      textarea.setAttribute("aria-invalid", "true");
      textarea.setAttribute("aria-describedby", "f-text-help f-text-error");
    }

    var form = chat.querySelector(".chat-form");
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var button = form.querySelector("button[type=submit]");
        button.disabled = true;
        fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { "X-Chat-Request": "fetch" },
        })
          .then(function (response) {
            return response.json().then(function (body) {
              if (response.ok) {
                form.querySelector("textarea").value = "";
                showError(form, null);
              } else {
                showError(form, body.error);
              }
            });
          })
          .catch(function () {
            showError(form, chat.dataset.offlineText);
          })
          .finally(function () {
            button.disabled = false;
          });
      });
    }
    if (chat.dataset.live === "yes") {
      var last = list.lastElementChild;
      if (last) last.scrollIntoView({ block: "end" });
      listen();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chat-stream]").forEach(start);
  });
})();
