/* xlperf local page: drag and drop, size checks, severity filter, sortable tables, batch progress.
   Plain ES5-level JavaScript so older finance browsers run it; the page works without it too. */
(function () {
  "use strict";
  var body = document.body;
  var maxFile = +body.getAttribute("data-max-file") || 0;
  var maxRequest = +body.getAttribute("data-max-request") || 0;

  function showError(text) {
    var p = document.getElementById("client-error");
    p.textContent = text; p.hidden = false; window.scrollTo(0, 0);
  }

  function tooLarge(files) {
    var total = 0, i;
    for (i = 0; i < files.length; i++) {
      total += files[i].size;
      if (maxFile && files[i].size > maxFile && !/\.zip$/i.test(files[i].name)) {
        return "“" + files[i].name + "”超过 " + Math.round(maxFile / 1048576) + " MB，文件过大，未上传";
      }
      if (files[i].size === 0) { return "“" + files[i].name + "”是空文件（0 字节），请检查后重新选择"; }
    }
    if (maxRequest && total > maxRequest) { return "所选文件合计超过 " + Math.round(maxRequest / 1048576) + " MB，请分批上传"; }
    return "";
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.upload"), function (form) {
    var drop = form.querySelector(".drop"), input = form.querySelector("input[type=file]");
    var chosen = form.querySelector(".chosen");
    var showChosen = function () {
      if (!chosen) { return; }
      var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
      chosen.textContent = names.length === 0 ? "未选择文件" : names.length <= 3 ? "已选择：" + names.join("、") : "已选择 " + names.length + " 个文件";
    };
    input.addEventListener("change", showChosen);
    form.addEventListener("submit", function (e) {
      var problem = tooLarge(input.files || []);
      if (problem) { e.preventDefault(); showError(problem); return; }
      var button = form.querySelector("button[type=submit]");
      if (button && !form.hasAttribute("data-download")) { button.disabled = true; button.textContent = "正在处理……"; }
    });
    if (!drop) { return; }
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      if (!e.dataTransfer || !e.dataTransfer.files.length) { return; }
      input.files = e.dataTransfer.files;
      showChosen();
    });
  });

  /* the next-year form downloads a file: keep its button usable */
  var next = document.getElementById("next-form");
  if (next) { next.setAttribute("data-download", "1"); }

  var filter = document.getElementById("severity-filter");
  if (filter) {
    filter.addEventListener("change", function () {
      var shown = {};
      Array.prototype.forEach.call(filter.querySelectorAll("input"), function (box) { shown[box.value] = box.checked; });
      Array.prototype.forEach.call(document.querySelectorAll("#findings tbody tr"), function (row) {
        row.style.display = shown[row.getAttribute("data-severity")] ? "" : "none";
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.querySelectorAll("th");
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener("click", function () {
        var numeric = /^(index|rate|score|amount|count)$/.test(th.getAttribute("data-kind"));
        var asc = !th.classList.contains("asc");
        Array.prototype.forEach.call(heads, function (h) { h.classList.remove("asc", "desc"); });
        th.classList.add(asc ? "asc" : "desc");
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[col].getAttribute("data-sort"), y = b.cells[col].getAttribute("data-sort");
          if (numeric) {
            x = x === "" ? -Infinity : +x; y = y === "" ? -Infinity : +y;
            return asc ? x - y : y - x;
          }
          return asc ? x.localeCompare(y, "zh-CN") : y.localeCompare(x, "zh-CN");
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  var card = document.getElementById("progress-card");
  if (card) {
    var url = card.getAttribute("data-status-url");
    var bar = document.getElementById("progress"), text = document.getElementById("progress-text");
    var poll = function () {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", url);
      xhr.onload = function () {
        var s;
        try { s = JSON.parse(xhr.responseText); } catch (err) { s = null; }
        if (!s || s.error) { text.textContent = (s && s.error) || "无法取得进度"; return; }
        bar.max = s.total || 1; bar.value = s.done;
        text.textContent = "已完成 " + s.done + " / " + (s.total || "?");
        if (s.status === "running") { setTimeout(poll, 400); } else { window.location.reload(); }
      };
      xhr.onerror = function () { setTimeout(poll, 1000); };
      xhr.send();
    };
    setTimeout(poll, 200);
  }
}());
