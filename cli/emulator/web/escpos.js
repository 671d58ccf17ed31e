// A minimal ESC/POS renderer (used until the printer model of src/models/escpos-printer.ts is
// in the page library): bytes in, paper out — lines with bold, double height and alignment,
// one receipt per cut. Commands: ESC @, ESC E n, ESC ! n, GS ! n, ESC a n, ESC d n, ESC t n,
// GS V m [n], LF; other control bytes are skipped, printable ASCII printed.
"use strict";
(function (W) {
  var ESC = 0x1b, GS = 0x1d, LF = 0x0a;
  function Paper(onReceipt) {
    this.onReceipt = onReceipt;
    this.lines = [];
    this.reset();
    this.text = "";
    this.pending = [];
  }
  Paper.prototype.reset = function () { this.bold = false; this.tall = false; this.align = "left"; };
  Paper.prototype.newline = function () {
    this.lines.push({ text: this.text, bold: this.bold, tall: this.tall, align: this.align });
    this.text = "";
  };
  Paper.prototype.cut = function () {
    if (this.text.length > 0) this.newline();
    var lines = this.lines;
    this.lines = [];
    if (lines.length > 0) this.onReceipt(lines);
  };
  /** Feeds bytes; commands split across writes are kept until complete. */
  Paper.prototype.write = function (bytes) {
    var b = this.pending.concat(Array.prototype.slice.call(bytes)), i = 0;
    this.pending = [];
    while (i < b.length) {
      var c = b[i], need = c === ESC || c === GS ? 2 : 1;
      if (c === ESC && (b[i + 1] === 0x45 || b[i + 1] === 0x21 || b[i + 1] === 0x61 || b[i + 1] === 0x64 || b[i + 1] === 0x74)) need = 3;
      if (c === GS && b[i + 1] === 0x21) need = 3;
      if (c === GS && b[i + 1] === 0x56) need = b[i + 2] === 65 || b[i + 2] === 66 ? 4 : 3;
      if (i + need > b.length) { this.pending = b.slice(i); return; }
      if (c === ESC) {
        var op = b[i + 1], n = b[i + 2];
        if (op === 0x40) this.reset();
        else if (op === 0x45) this.bold = (n & 1) === 1;
        else if (op === 0x21) { this.bold = (n & 0x08) !== 0; this.tall = (n & 0x10) !== 0; }
        else if (op === 0x61) this.align = ["left", "center", "right"][n % 3] || "left";
        else if (op === 0x64) { if (this.text.length > 0) this.newline(); for (var k = 0; k < n; k++) this.newline(); }
      } else if (c === GS) {
        if (b[i + 1] === 0x21) this.tall = (b[i + 2] & 0x0f) !== 0;
        else if (b[i + 1] === 0x56) this.cut();
      } else if (c === LF) this.newline();
      else if (c >= 0x20 && c < 0x7f) this.text += String.fromCharCode(c);
      i += need;
    }
  };
  W.PosrtPaper = Paper;
})(window);
