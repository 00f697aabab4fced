/* The upload page: each chosen (or dropped) file is sent by itself with XMLHttpRequest, so its row shows
   the transfer from the first byte, then "Processing…" while the server stores it; the server answers
   with the upload's own row, which htmx then refreshes every second until the import settles. A file
   the server refuses shows as failed with the server's reason. The button stays disabled while files
   are in flight. Without this script the form is posted as it is and the page lists the uploads. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload-form]");
  var list = document.getElementById("uploads");
  if (!form || !list || !window.FormData || !window.XMLHttpRequest) return;
  var input = form.querySelector('input[type="file"]');
  var button = form.querySelector('button[type="submit"]');
  var waiting = [];
  var sending = 0;

  function text(name) {
    return form.getAttribute("data-text-" + name) || "";
  }

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    return node;
  }

  function setBusy() {
    var busy = sending > 0 || waiting.length > 0;
    button.disabled = busy;
    form.setAttribute("aria-busy", busy ? "true" : "false");
  }

  function newRow(file) {
    var row = element("li", "upload upload-sending");
    row.setAttribute("data-status", "waiting");
    var title = element("p", "upload-file");
    title.appendChild(element("strong", "", file.name));
    title.appendChild(document.createTextNode(" "));
    var state = element("span", "upload-state", text("waiting"));
    title.appendChild(state);
    var bar = element("div", "upload-progress");
    var progress = element("progress");
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute("aria-label", text("progress").replace("{name}", file.name));
    var percent = element("span", "upload-percent", "0%");
    bar.appendChild(progress);
    bar.appendChild(percent);
    row.appendChild(title);
    row.appendChild(bar);
    list.insertBefore(row, list.firstChild);
    var empty = document.querySelector(".uploads-empty");
    if (empty) empty.remove();
    return { file: file, row: row, state: state, bar: bar, progress: progress, percent: percent };
  }

  function failed(item, message) {
    item.row.className = "upload upload-failed";
    item.row.setAttribute("data-status", "error");
    item.row.setAttribute("role", "alert");
    item.state.textContent = text("failed");
    item.bar.remove();
    item.row.appendChild(element("p", "upload-error", message));
  }

  /* The server's reason: its row (HTML), else the problem's detail (JSON), else a general message. */
  function answered(item, xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/html") === 0) {
      var template = document.createElement("template");
      template.innerHTML = xhr.responseText;
      var rows = template.content.querySelectorAll("li.upload");
      if (rows.length && template.content.firstElementChild.matches("li.upload")) {
        var nodes = Array.prototype.slice.call(rows);
        item.row.replaceWith.apply(item.row, nodes);
        nodes.forEach(function (node) {
          if (window.htmx) window.htmx.process(node);
        });
        return;
      }
    }
    var message = text("refused");
    if (type.indexOf("json") >= 0) {
      try {
        message = JSON.parse(xhr.responseText).detail || message;
      } catch (ignored) {
        /* not JSON after all: the general message */
      }
    }
    failed(item, message);
  }

  function send(item) {
    var data = new FormData(form);
    data.delete("files");
    data.append("files", item.file, item.file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("HX-Request", "true");
    item.row.setAttribute("data-status", "sending");
    item.state.textContent = text("sending");
    xhr.upload.addEventListener("progress", function (event) {
      if (!event.lengthComputable) return;
      var percent = Math.min(100, Math.floor((100 * event.loaded) / event.total));
      item.progress.value = percent;
      item.percent.textContent = percent + "%";
    });
    xhr.upload.addEventListener("load", function () {
      item.row.setAttribute("data-status", "processing");
      item.state.textContent = text("processing");
      item.progress.removeAttribute("value");
      item.percent.textContent = "";
    });
    xhr.addEventListener("load", function () {
      answered(item, xhr);
    });
    xhr.addEventListener("error", function () {
      failed(item, text("refused"));
    });
    xhr.addEventListener("loadend", function () {
      sending -= 1;
      next();
    });
    sending += 1;
    xhr.send(data);
  }

  function next() {
    if (sending === 0 && waiting.length) send(waiting.shift());
    setBusy();
  }

  function upload(files) {
    Array.prototype.forEach.call(files, function (file) {
      waiting.push(newRow(file));
    });
    next();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.disabled || !input.files.length) return;
    upload(input.files);
    input.value = "";
  });

  // Files dropped anywhere on the page are sent with the form's choices.
  var depth = 0;
  function carriesFiles(event) {
    return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0;
  }
  document.addEventListener("dragenter", function (event) {
    if (!carriesFiles(event)) return;
    depth += 1;
    document.body.classList.add("upload-dragging");
  });
  document.addEventListener("dragleave", function (event) {
    if (!carriesFiles(event)) return;
    depth = Math.max(0, depth - 1);
    if (!depth) document.body.classList.remove("upload-dragging");
  });
  document.addEventListener("dragover", function (event) {
    if (carriesFiles(event)) event.preventDefault();
  });
  document.addEventListener("drop", function (event) {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth = 0;
    document.body.classList.remove("upload-dragging");
    if (event.dataTransfer.files.length) upload(event.dataTransfer.files);
  });
})();
