// The countertop around the board: display, keypad (mouse and PC keyboard), card reader,
// printer paper, fault panel and the script player. Keys and cards reach the device only
// through its console API (posrt.key, posrt.card); the display shows posrt.screen().
"use strict";
(function (W) {
  var board = W.posrtBoard, views = W.posrtViews;
  var $ = function (id) { return document.getElementById(id); };
  var KEYPAD = [["1", "2", "3", "cancel"], ["4", "5", "6", "clear"], ["7", "8", "9", "back"], [".", "0", "00", "enter"], ["up", "down", "f1", "f2"], ["f3", "f4"]];
  var KEY_TEXT = { cancel: "Cancel", clear: "Clear", back: "⌫", enter: "Enter", up: "▲", down: "▼", f1: "F1", f2: "F2", f3: "F3", f4: "F4" };
  var PC_KEYS = { Enter: "enter", Escape: "cancel", Backspace: "back", Delete: "clear", ArrowUp: "up", ArrowDown: "down", F1: "f1", F2: "f2", F3: "f3", F4: "f4", ".": "." };
  /**
   * Display frames as the device flushed them: { t_ms, rows }. The console display of the
   * Espruino build prints the non-empty rows of each flush in order ("[r] text"), so a row
   * number not above the previous one starts the next frame (the tests compare these with the
   * frames of posrt terminal). `shown` is what the display element shows (posrt.screen()).
   */
  var frames = W.posrtFrames = [], shown = [], lastRow = -1;
  function flushed(r, text) {
    if (lastRow < 0 || r <= lastRow) {
      var blank = [];
      for (var i = 0; i < profile.console_display.rows; i++) blank.push("");
      frames.push({ t_ms: Math.round(performance.now()), rows: blank });
    }
    frames[frames.length - 1].rows[r] = text;
    lastRow = r;
  }
  var profile, ready = false, paper;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function status(text) { $("status").textContent = text; }

  function showRows(r) {
    var d = $("display"), cols = profile.display.columns;
    d.textContent = "";
    for (var i = 0; i < profile.display.rows; i++) {
      var t = (r[i] || "").substring(0, cols);
      d.appendChild(el("div", { "class": "row" }, t === "" ? "\u00a0" : t));
    }
  }
  /** After every run of device code: the display as the device has it now. */
  function refresh() {
    var r = board.screen();
    if (r === undefined) r = frames.length > 0 ? frames[frames.length - 1].rows.slice() : [];
    else r = Array.prototype.slice.call(r);
    lastRow = -1;
    if (shown.join("\n") === r.join("\n")) return;
    shown = r;
    showRows(r);
  }

  function buildKeypad() {
    var pad = $("keypad");
    KEYPAD.forEach(function (line) {
      line.forEach(function (k) {
        var b = el("button", { type: "button", "aria-label": k, "class": "key key-" + k }, KEY_TEXT[k] || k);
        b.addEventListener("click", function () { board.key(k); });
        pad.appendChild(b);
      });
    });
    document.addEventListener("keydown", function (ev) {
      var t = ev.target && ev.target.tagName;
      if (t === "TEXTAREA" || t === "INPUT" || t === "SELECT") return;
      var k = PC_KEYS[ev.key] || (/^[0-9]$/.test(ev.key) ? ev.key : undefined);
      if (k === undefined) return;
      ev.preventDefault();
      board.key(k);
    });
  }

  function buildReader() {
    var box = $("cards");
    profile.cards.forEach(function (c) {
      var row = el("div", { "class": "card" });
      row.appendChild(el("span", { "class": "name", title: c.label || "" }, c.name));
      ["swipe", "insert", "tap"].forEach(function (kind) {
        var b = el("button", { type: "button", "aria-label": kind + " " + c.name }, kind);
        b.addEventListener("click", function () { board.card(kind, c.name); });
        row.appendChild(b);
      });
      if (c.label) row.appendChild(el("span", { "class": "label" }, c.label));
      box.appendChild(row);
    });
    $("remove").addEventListener("click", function () { board.card("remove", ""); });
  }

  function receiptEl(lines, cut) {
    var r = el("div", { "class": "receipt" + (cut ? "" : " printing"), role: "article", "aria-label": "receipt" });
    lines.forEach(function (l) {
      r.appendChild(el("div", { "class": "pline " + l.align + (l.bold ? " bold" : "") + (l.tall ? " tall" : "") + (l.wide ? " wide" : "") }, l.text === "" ? "\u00a0" : l.text));
    });
    return r;
  }
  function tearOff(lines) {
    var box = $("receipts");
    box.insertBefore(receiptEl(lines, true), box.firstChild);
  }

  /** A paper line holding GBK characters (one character per byte) as the printer's glyphs: the browser's GBK decoder. */
  function gbkText(t) {
    if (typeof TextDecoder !== "function") return t;
    var b = new Uint8Array(t.length);
    for (var i = 0; i < t.length; i++) b[i] = t.charCodeAt(i) & 255;
    return new TextDecoder("gbk").decode(b);
  }

  /**
   * The receipt printer on the device's UART: the ESC/POS printer model of the page library
   * (src/models/escpos-printer.ts) when this build has it, else the minimal renderer (escpos.js).
   * The model keeps the last receipts; the paper shown is rebuilt from it after every write.
   */
  function Printer() {
    var lib = W.posrtPage, port = "";
    if (lib && lib.EscPosPrinter) {
      var model = new lib.EscPosPrinter({ onReply: function (b) { board.serialReply(port, [b]); } });
      this.write = function (p, bytes) {
        port = p;
        model.receive(bytes, 0, bytes.length);
        var box = $("receipts");
        box.textContent = "";
        model.receipts().forEach(function (rc) {
          var lines = rc.lines.map(function (l) { return { text: l.gbk ? gbkText(l.text) : l.text, bold: l.bold, tall: l.double_height, wide: l.double_width, align: l.align }; });
          box.insertBefore(receiptEl(lines, rc.cut), box.firstChild);
        });
      };
    } else {
      var p = new W.PosrtPaper(tearOff);
      this.write = function (port, bytes) { p.write(bytes); };
    }
  }

  // until the device drives ESC/POS, its console printer's lines ("| text", "+--- cut ---")
  var consoleReceipt = [];
  function printed(text) {
    views.console(text);
    var m = /^\[(\d+)\] (.*)$/.exec(text);
    if (m) {
      flushed(Number(m[1]), m[2]);
      return;
    }
    lastRow = -1;
    if (text.indexOf("| ") === 0 || text === "|") consoleReceipt.push({ text: text.substring(2), align: "left", bold: / \*$/.test(text), tall: false });
    else if (text === "+--- cut ---" && consoleReceipt.length > 0) { tearOff(consoleReceipt); consoleReceipt = []; }
  }

  function buildFaults() {
    $("cut-now").addEventListener("click", function () { board.cut("power cut (panel)"); });
    $("cut-arm").addEventListener("click", function () {
      var p = $("cut-point");
      board.arm(p.value);
      $("armed").textContent = "armed: " + p.options[p.selectedIndex].text;
    });
    $("net-down").addEventListener("click", function () { board.ws.send(JSON.stringify({ t: "network", up: false })); });
    $("net-up").addEventListener("click", function () { board.ws.send(JSON.stringify({ t: "network", up: true })); });
    var box = $("acq-faults");
    if (!profile.embedded) box.appendChild(el("span", {}, "acquirer faults: only with the embedded acquirer (" + profile.acquirer + ")"));
    else {
      box.appendChild(el("span", {}, "acquirer, next message: "));
      profile.faults.forEach(function (k) {
        var b = el("button", { type: "button", "aria-label": "acquirer fault " + k }, k.replace(/_/g, " "));
        b.addEventListener("click", function () { board.ws.send(JSON.stringify({ t: "acquirer-fault", kind: k })); });
        box.appendChild(b);
      });
    }
    views.cheatSheet($("cheat"), profile);
  }

  function bindBoard() {
    board.on("status", status);
    board.on("log", function (t) { views.console("[board] " + t); });
    board.on("print", printed);
    board.on("serial", function (m) { if (paper) paper.write(m.port, m.bytes); });
    board.on("ran", refresh);
    board.on("sent", function () {});
    board.on("power", function (on) {
      document.body.classList.toggle("off", !on);
      if (!on) { showRows([]); $("armed").textContent = ""; }
      status(on ? "power on" : "power off");
    });
    board.on("booted", function () {
      refresh();
      status("ready — " + profile.acquirer + ", flash image " + profile.image);
      if (!ready) {
        ready = true;
        W.posrtReadyMs = Math.round(performance.now());
        document.body.dataset.ready = "1";
      }
      document.body.dataset.boots = String(Number(document.body.dataset.boots || "0") + 1);
    });
    board.on("network", function (m) { $("net-state").textContent = m.up ? "network up" : "network DOWN"; });
    board.on("fault-armed", function (m) { views.console("[acquirer] next message: " + m.kind); });
    board.on("views", function (m) {
      views.render(m);
      $("net-state").textContent = m.network ? "network up" : "network DOWN";
    });
    board.on("wire", function (m) { views.wire(m.entry); });
    board.on("error", function (m) { views.console("[server] " + m.detail); });
  }

  function tabs() {
    var buttons = document.querySelectorAll("[role=tab]");
    Array.prototype.forEach.call(buttons, function (b) {
      b.addEventListener("click", function () {
        Array.prototype.forEach.call(buttons, function (o) {
          o.setAttribute("aria-selected", String(o === b));
          $("view-" + o.dataset.view).hidden = o !== b;
        });
      });
    });
  }

  // the WebSocket opens at once; its hello brings the profile the countertop is built from
  bindBoard();
  board.on("hello", function (m) {
    if (profile !== undefined) return;
    profile = m.profile;
    board.base = profile.flash_base;
    board.pageBytes = profile.page_bytes;
    board.flashBytes = profile.flash_bytes;
    board.chipBytes = profile.flash_chip_bytes;
    paper = new Printer();
    showRows([]);
    buildKeypad();
    buildReader();
    buildFaults();
    tabs();
    W.posrtPlayer.init({ board: board, frames: frames, expect_timeout_ms: profile.expect_timeout_ms, status: function (t) { $("script-status").textContent = t; } });
    $("play").addEventListener("click", function () { W.posrtPlayer.play($("script").value); });
  });
  board.connect((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
})(window);
