// The Espruino built-ins the device bundle uses, for a browser page: loaded into the device
// frame (the board, made by cli/emulator/web/board.js) before firmware/dist/espruino/posrt.js,
// which then runs unchanged.
// Each one follows the Espruino API (espruino.com/Reference) as an ESP32 board has it:
//   require("Flash")  read(length, addr) → Uint8Array, write(data, addr) (4-byte aligned),
//                     erasePage(addr), getPage(addr) → {addr, length} | undefined, getFree()
//   require("net")    connect({host, port}, onConnect) → socket: on("data"|"close"|"error"|"end"),
//                     write(string of bytes), end()
//   require("Storage") read(name) → string | undefined, write(name, data): the board's small
//                     files (the device configuration `posrt.cfg`, supplied by the emulator)
//   Serial1..3        setup, write, print, println, on("data"): UARTs wired to the page's parts
//   getTime()         seconds since 1970 (the board clock is set)
//   print(text)       the console
// setTimeout/setInterval run on the frame's own timer, so a power cut (the frame removed)
// stops them; the board can move the clock on (W.posrtClock) as a script's `wait` does.
// The hardware behind them is the page's board (window.parent.posrtBoard): flash image,
// network, power. After a power cut nothing the code still does reaches the hardware.
(function (W) {
  "use strict";
  var hw = W.parent.posrtBoard;
  var ALIGN = 4;

  function bytesOf(data) {
    var n = data.length, out = new Uint8Array(n), i;
    if (typeof data === "string") for (i = 0; i < n; i++) out[i] = data.charCodeAt(i) & 0xff;
    else for (i = 0; i < n; i++) out[i] = data[i] & 0xff;
    return out;
  }

  var Flash = {
    read: function (length, addr) { return hw.flashRead(length, addr); },
    write: function (data, addr) {
      var b = bytesOf(data);
      if (addr % ALIGN !== 0 || b.length % ALIGN !== 0) throw new Error("Data and address must be multiples of 4");
      hw.flashWrite(b, addr);
    },
    erasePage: function (addr) { hw.flashErase(typeof addr === "object" ? addr.addr : addr); },
    getPage: function (addr) { return hw.flashPage(addr); },
    getFree: function () { return hw.flashFree(); }
  };

  function connect(options, onConnect) {
    var handlers = {};
    var sock = {
      on: function (ev, fn) { handlers[ev] = fn; },
      write: function (data) { hw.netWrite(id, bytesOf(String(data))); },
      end: function () { hw.netEnd(id); }
    };
    function emit(ev, arg) { if (handlers[ev]) handlers[ev](arg); }
    var id = hw.netConnect({
      open: function () { if (onConnect) onConnect(sock); emit("connect"); },
      data: function (bytes) {
        var s = "";
        for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
        emit("data", s);
      },
      error: function (detail) { emit("error", { code: -1, message: detail }); emit("close"); },
      close: function () { emit("end"); emit("close"); }
    });
    return sock;
  }

  // Timers: one queue run by one of the frame's own timeouts (so a power cut, which removes
  // the frame, stops them all), on the board's clock (hw.now()): real time, or stopped while a
  // script plays and moved on by it (`wait MS`, an idle `expect`); timers due fire in order.
  var nativeTimeout = W.setTimeout, nativeClear = W.clearTimeout;
  var MAX_TIMERS = 64, timers = [], nextTimer = 1, pump = 0;
  // the board's clock runs on through power cuts (an RTC): its skew lives on the board
  function now() { return hw.now(); }
  function arm() {
    if (pump) nativeClear(pump);
    pump = 0;
    if (timers.length === 0) return;
    var due = timers[0].due;
    for (var i = 1; i < timers.length; i++) if (timers[i].due < due) due = timers[i].due;
    // a stopped board clock (a script playing) moves only when the board moves it; a timer due
    // by now (setTimeout 0: work handed to a task of its own) still runs, as right after this task
    if (hw.frozen && due > now()) return;
    pump = nativeTimeout(fire, Math.max(0, due - now()));
  }
  /** Fires every timer due by now (oldest first); true when one ran. */
  function fire() {
    pump = 0;
    var ran = false;
    for (var guard = 0; guard < 1000; guard++) {
      var first = -1, t = now();
      for (var i = 0; i < timers.length; i++) if (timers[i].due <= t && (first < 0 || timers[i].due < timers[first].due)) first = i;
      if (first < 0) break;
      var x = timers[first];
      if (x.every > 0) x.due = x.due + x.every; else timers.splice(first, 1);
      ran = true;
      try { x.fn(); } catch (e) { hw.print("Uncaught " + e); }
    }
    arm();
    if (ran) hw.ran();
    return ran;
  }
  function add(fn, ms, every) {
    if (timers.length >= MAX_TIMERS) throw new Error("Too many timers");
    var id = nextTimer++;
    timers.push({ id: id, fn: fn, due: now() + Math.max(0, ms || 0), every: every });
    arm();
    return id;
  }
  function clear(id) {
    for (var i = 0; i < timers.length; i++) if (timers[i].id === id) { timers.splice(i, 1); break; }
    arm();
  }
  W.setTimeout = function (fn, ms) { return add(fn, ms, 0); };
  // the bundle's module drop after a task (scripts/bundle-cjs.js): not a board event, so on the
  // page's own loop (a stopped board clock must not hold it)
  W.posrtAfterTask = function (fn) { nativeTimeout(fn, 0); };
  W.setInterval = function (fn, ms) { return add(fn, ms, Math.max(1, ms || 0)); };
  W.clearTimeout = clear;
  W.clearInterval = clear;
  /** For the board: when the next timer is due (ms from now, -1 for none); fire what is due. */
  W.posrtClock = {
    nextDue: function () {
      if (timers.length === 0) return -1;
      var due = timers[0].due;
      for (var i = 1; i < timers.length; i++) if (timers[i].due < due) due = timers[i].due;
      return Math.max(0, due - now());
    },
    fire: fire
  };

  // UARTs (Serial1..3): setup(baud, options), write(data...), print, println, on("data").
  // What the device writes goes to the part wired to that port on the page (the receipt
  // printer); what the part answers (ESC/POS status bytes) comes back as "data".
  function Serial(name) { this.name = name; this.handlers = {}; }
  Serial.prototype.setup = function () {};
  Serial.prototype.write = function () {
    for (var i = 0; i < arguments.length; i++) {
      var a = arguments[i];
      hw.serialWrite(this.name, bytesOf(typeof a === "number" ? String.fromCharCode(a) : a));
    }
  };
  Serial.prototype.print = function (s) { hw.serialWrite(this.name, bytesOf(String(s))); };
  Serial.prototype.println = function (s) { hw.serialWrite(this.name, bytesOf(String(s) + "\r\n")); };
  Serial.prototype.on = function (ev, fn) { this.handlers[ev] = fn; };
  Serial.prototype.removeAllListeners = function () { this.handlers = {}; };
  Serial.prototype.emit = function (ev, arg) { if (this.handlers[ev]) { this.handlers[ev](arg); hw.ran(); } };
  ["Serial1", "Serial2", "Serial3"].forEach(function (n) { W[n] = new Serial(n); });

  var Storage = {
    read: function (name) { var f = hw.files || {}; return Object.prototype.hasOwnProperty.call(f, name) ? f[name] : undefined; },
    write: function (name, data) { if (!hw.files) hw.files = {}; hw.files[name] = String(data); return true; }
  };

  W.require = function (name) {
    if (name === "Flash") return Flash;
    if (name === "Storage") return Storage;
    if (name === "net") return { connect: connect };
    throw new Error('Module ' + name + ' not found');
  };
  W.getTime = function () { return now() / 1000; };
  W.print = function (text) { hw.print(String(text)); };
  W.console = { log: function () { hw.print(Array.prototype.join.call(arguments, " ")); } };
})(window);
