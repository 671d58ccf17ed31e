// The board under the device bundle (window.posrtBoard): its flash (a copy of the server's
// image, every change sent back in order), its network (connections to the acquirer through
// the server, sealed with AES-GCM after an ECDH exchange, as a terminal's TLS link), its
// power (a cut removes the device frame: timers stop, later writes are lost; then it boots
// again on the same flash) and the armed power cuts of the fault panel.
"use strict";
(function (W) {
  var POWER_OFF_MS = 400;
  /** Board time from a request to its answer (ACQUIRER_LATENCY_MS of posrt terminal, src/app/session.ts). */
  var LATENCY_MS = 40;
  var TXN_REQUESTS = ["0200", "0220"];
  var TXN_REPLIES = ["0210", "0230"];
  var te = new TextEncoder();

  function b64(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  }
  function unb64(text) {
    var s = atob(text), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  function hex2(n) { return (n < 16 ? "0" : "") + n.toString(16); }
  /** MTI of a whole wire frame: BCD after the length (2), TPDU (5) and header (6). */
  function mtiOf(frame) { return frame.length < 15 ? "" : hex2(frame[13]) + hex2(frame[14]); }

  /** Cuts whole frames (2-byte big-endian length first) out of a byte stream. */
  function Framer() { this.buf = new Uint8Array(0); }
  Framer.prototype.push = function (bytes, onFrame) {
    var b = new Uint8Array(this.buf.length + bytes.length);
    b.set(this.buf, 0); b.set(bytes, this.buf.length);
    while (b.length >= 2 && b.length >= 2 + ((b[0] << 8) | b[1])) {
      var n = 2 + ((b[0] << 8) | b[1]);
      onFrame(b.subarray(0, n));
      b = b.subarray(n);
    }
    this.buf = new Uint8Array(b);
  };

  var board = {
    ws: undefined, keyReady: undefined, queue: Promise.resolve(), rxQueue: Promise.resolve(),
    image: undefined, base: 0, pageBytes: 4096, flashBytes: 0, chipBytes: 0,
    frame: undefined, device: undefined, dead: true, conns: {}, nextConn: 1,
    armed: "", cardSeen: false, listeners: {}, skew_ms: 0, frozen: false, frozen_ms: 0, frameWin: undefined,
    /** Bytes from the acquirer wait until board time reaches their due time (request + latency). */
    inbox: [], sentAt: 0, unacked: 0, rxPending: 0, inboxTimer: 0,

    on: function (ev, fn) { (this.listeners[ev] = this.listeners[ev] || []).push(fn); },
    emit: function (ev, arg) { var l = this.listeners[ev] || []; for (var i = 0; i < l.length; i++) l[i](arg); },

    /** Sends one message after every earlier one (sealed ones wait for their encryption). */
    send: function (make) {
      var ws = this.ws;
      this.queue = this.queue.then(make).then(function (m) { if (m && ws.readyState === 1) ws.send(JSON.stringify(m)); })
        .catch(function (e) { board.emit("log", "send failed: " + e); });
    },
    seal: function (bytes) {
      var iv = crypto.getRandomValues(new Uint8Array(12));
      return board.keyReady.then(function (key) { return crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, bytes); }).then(function (c) {
        var out = new Uint8Array(12 + c.byteLength);
        out.set(iv, 0); out.set(new Uint8Array(c), 12);
        return b64(out);
      });
    },
    open: function (text) {
      var s = unb64(text);
      return board.keyReady.then(function (key) { return crypto.subtle.decrypt({ name: "AES-GCM", iv: s.subarray(0, 12) }, key, s.subarray(12)); }).then(function (p) { return new Uint8Array(p); });
    },

    connect: function (url) {
      performance.mark("posrt-connect");
      var ws = new WebSocket(url);
      ws.binaryType = "arraybuffer";
      ws.onopen = function () { performance.mark("posrt-open"); };
      this.ws = ws;
      ws.onmessage = function (ev) {
        if (typeof ev.data !== "string") return board.powerOn(board.unsparse(new Uint8Array(ev.data)));
        board.message(JSON.parse(ev.data));
      };
      this.spare();
      ws.onclose = function () { board.kill("the emulator server went away"); board.emit("status", "disconnected: restart posrt emulator and reload"); };
    },

    /** The page's ECDH key pair, made while the page loads. */
    pair: crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]),

    agree: function (serverPub) {
      var curve = { name: "ECDH", namedCurve: "P-256" }, pair;
      var ready = this.pair.then(function (kp) {
        pair = kp;
        return crypto.subtle.importKey("raw", unb64(serverPub), curve, false, []);
      }).then(function (sp) {
        return crypto.subtle.deriveBits({ name: "ECDH", public: sp }, pair.privateKey, 256);
      }).then(function (bits) {
        var label = te.encode("posrt emulator link v1"), m = new Uint8Array(label.length + 32);
        m.set(label, 0); m.set(new Uint8Array(bits), label.length);
        return crypto.subtle.digest("SHA-256", m);
      }).then(function (k) {
        return crypto.subtle.importKey("raw", k, "AES-GCM", false, ["encrypt", "decrypt"]);
      });
      this.keyReady = ready;
      // the server learns the page's half first: messages sealed later follow it in the queue
      this.send(function () {
        return board.pair.then(function (kp) { return crypto.subtle.exportKey("raw", kp.publicKey); })
          .then(function (pub) { performance.mark("posrt-key"); return { t: "key", pub: b64(new Uint8Array(pub)) }; });
      });
      return ready;
    },

    message: function (m) {
      var c = m.id !== undefined ? this.conns[m.id] : undefined;
      switch (m.t) {
        case "hello": performance.mark("posrt-hello"); this.files = (m.profile && m.profile.files) || {}; this.emit("hello", m); this.agree(m.pub).catch(function (e) { board.emit("status", "no secure link (WebCrypto needs http://127.0.0.1 or localhost): " + e); }); break;
        case "power-off": if (!this.dead) this.cut(m.why, true); break;
        case "net-open": if (c) this.run(function () { c.open(); }); break;
        case "net-ack": if (this.unacked > 0) this.unacked--; break;
        case "net-data": if (c) this.receive(c, m.data); break;
        case "net-close": if (c) { delete this.conns[m.id]; this.run(function () { c.close(); }); } break;
        case "net-error": if (c) { delete this.conns[m.id]; this.run(function () { c.error(m.detail); }); } break;
        case "replaced": this.kill("another page took over this board"); this.emit("status", "another page took over this board"); break;
        default: this.emit(m.t, m);
      }
    },

    receive: function (c, sealed) {
      var gen = this.generation;
      this.rxPending++;
      this.rxQueue = this.rxQueue.then(function () { return board.open(sealed); }).then(function (bytes) {
        board.rxPending--;
        if (board.dead || gen !== board.generation) return;
        // as posrt terminal: the answer reaches the device LATENCY_MS of board time after the request
        board.inbox.push({ due: Math.max(board.sentAt + LATENCY_MS, 0), c: c, bytes: bytes });
        board.release();
      }, function (e) { board.rxPending--; board.emit("log", "link: " + e); });
    },

    /** Hands the device every answer due by now (in order); schedules the next one. */
    release: function () {
      if (this.inboxTimer) clearTimeout(this.inboxTimer);
      this.inboxTimer = 0;
      while (this.inbox.length > 0 && this.inbox[0].due <= this.now() && !this.dead) this.deliver(this.inbox.shift());
      if (this.inbox.length > 0 && !this.frozen) this.inboxTimer = setTimeout(function () { board.release(); }, Math.max(0, this.inbox[0].due - this.now()));
    },
    deliver: function (x) {
      var c = x.c, replyCut = false;
      if (this.armed === "after-reply") c.rx.push(x.bytes, function (f) { if (TXN_REPLIES.indexOf(mtiOf(f)) >= 0) replyCut = true; });
      this.run(function () { c.data(x.bytes); });
      if (replyCut) setTimeout(function () { board.cut("power cut after the reply"); }, 0);
    },

    // ---- the board clock: real time, or stopped while a script plays and moved on by it ----
    now: function () { return this.frozen ? this.frozen_ms : Date.now() + this.skew_ms; },
    freeze: function (on) {
      if (on === this.frozen) return;
      if (on) { this.frozen_ms = Date.now() + this.skew_ms; this.frozen = true; }
      else { this.skew_ms = this.frozen_ms - Date.now(); this.frozen = false; }
      if (this.frameWin && !this.dead) this.frameWin.posrtClock.fire();
      this.release();
    },
    /** True while the network has something on its way (a request unanswered by the server, an answer being opened). */
    busy: function () { return this.unacked > 0 || this.rxPending > 0; },

    /** Runs device code from outside (network event, key, card) and shows what it did. */
    run: function (fn) {
      if (this.dead) return undefined;
      var r;
      try { r = fn(); } catch (e) { this.emit("log", "device: uncaught " + e); }
      this.emit("ran");
      return r;
    },

    /** The flash image from its sparse form: segments [offset u32][length u32][bytes], the rest erased. */
    unsparse: function (s) {
      var img = new Uint8Array(this.flashBytes).fill(0xff), dv = new DataView(s.buffer, s.byteOffset, s.byteLength), i = 0;
      while (i + 8 <= s.length) {
        var at = dv.getUint32(i), n = dv.getUint32(i + 4);
        img.set(s.subarray(i + 8, i + 8 + n), at);
        i += 8 + n;
      }
      return img;
    },

    /**
     * The next board: a frame with the Espruino built-ins, made ahead (while the image is on
     * its way); the device bundle goes in when the power comes on.
     */
    spare: function () {
      var f = document.createElement("iframe");
      f.srcdoc = '<!doctype html><title>posrt device</title><script src="/espruino.js"></' + 'script>' +
        '<script>window.parent.posrtBoard.frameReady(window);</' + 'script>';
      f.title = "device";
      f.hidden = true;
      this.spareFrame = f;
      this.spareWin = undefined;
      document.body.appendChild(f);
    },
    frameReady: function (win) {
      this.spareWin = win;
      if (this.powering) this.start();
    },

    powerOn: function (image) {
      performance.mark("posrt-image");
      this.image = image;
      this.powering = true;
      if (!this.spareFrame) this.spare();
      if (this.spareWin) this.start();
    },

    /** Power on: the device bundle (exactly as flashed) runs in the spare frame. */
    start: function () {
      this.powering = false;
      this.dead = false;
      this.armed = "";
      this.cardSeen = false;
      this.generation = (this.generation || 0) + 1;
      this.frame = this.spareFrame;
      var win = this.spareWin;
      this.spareFrame = undefined;
      this.spareWin = undefined;
      this.emit("power", true);
      var sc = win.document.createElement("script");
      sc.src = "/posrt.js";
      sc.onload = function () { if (board.frame && board.frame.contentWindow === win) board.booted(win); };
      win.document.documentElement.appendChild(sc);
    },

    booted: function (win) {
      performance.mark("posrt-booted");
      this.device = win.posrt;
      this.frameWin = win;
      this.emit("booted", win);
    },

    /** The power goes: the device frame is removed at once; it boots again after a pause. */
    cut: function (why, fromServer) {
      if (this.dead) return;
      this.kill(why);
      // after every write the device made before the cut (the queue keeps their order)
      if (!fromServer) this.send(function () { return { t: "power-off", why: why }; });
      setTimeout(function () { board.send(function () { return { t: "boot" }; }); }, POWER_OFF_MS);
    },

    kill: function (why) {
      this.dead = true;
      this.device = undefined;
      this.frameWin = undefined;
      this.conns = {};
      this.inbox = [];
      this.unacked = 0;
      if (this.frame) this.frame.remove();
      this.frame = undefined;
      this.spare();
      this.emit("power", false);
      this.emit("log", "power off: " + why);
    },

    arm: function (point) {
      this.armed = point;
      this.cardSeen = false;
      this.ws.send(JSON.stringify({ t: "arm", point: point === "after-request" ? point : "" }));
    },

    /** Moves the board's clock on by `ms`: answers and timers due meanwhile run in time order. */
    advance: function (ms) {
      var target = this.now() + ms;
      for (var guard = 0; guard < 10000 && !this.dead; guard++) {
        var dt = this.nextTimer(), dn = this.inbox.length > 0 ? Math.max(0, this.inbox[0].due - this.now()) : -1;
        var d = dt < 0 ? dn : dn < 0 ? dt : Math.min(dt, dn);
        if (d < 0 || this.now() + d > target) break;
        this.step(d);
        if (dn >= 0 && dn === d) this.release();
        if (this.frameWin && !this.dead) this.frameWin.posrtClock.fire();
      }
      if (!this.dead) this.step(target - this.now());
      if (this.frameWin && !this.dead) this.frameWin.posrtClock.fire();
      this.release();
    },
    step: function (d) { if (d <= 0) return; if (this.frozen) this.frozen_ms += d; else this.skew_ms += d; },
    nextTimer: function () { return this.frameWin && !this.dead ? this.frameWin.posrtClock.nextDue() : -1; },
    /** Board milliseconds until the next timer or answer, or -1. */
    nextDue: function () {
      var dt = this.nextTimer(), dn = this.inbox.length > 0 ? Math.max(0, this.inbox[0].due - this.now()) : -1;
      return dt < 0 ? dn : dn < 0 ? dt : Math.min(dt, dn);
    },

    // ---- what espruino.js calls (the device's hardware) ----
    // The chip is 4 MB (addresses 0..chipBytes); the free area Flash.getFree reports is the
    // image. The rest (firmware, Storage) reads erased here, and writing there is refused.
    outside: function (addr, n) {
      var o = addr - this.base;
      if (o >= 0 && o + n <= this.image.length) return -1;
      if (addr < 0 || addr + n > this.chipBytes) throw new Error("Flash: address 0x" + addr.toString(16) + " is beyond the chip");
      return o;
    },
    flashRead: function (n, addr) {
      if (this.outside(addr, n) !== -1) return new Uint8Array(n).fill(0xff);
      var o = addr - this.base;
      return new Uint8Array(this.image.subarray(o, o + n));
    },
    flashWrite: function (bytes, addr) {
      if (this.dead) return;
      if (this.outside(addr, bytes.length) !== -1) throw new Error("Flash: 0x" + addr.toString(16) + " is not in the free area (Flash.getFree) this board keeps");
      var o = addr - this.base, torn = this.armed === "journal-write" && this.cardSeen;
      // a torn program: only the first half of the words lands before the power goes
      var n = torn ? Math.floor(bytes.length / 8) * 4 : bytes.length, part = bytes.subarray(0, n);
      for (var i = 0; i < n; i++) this.image[o + i] &= part[i];
      if (n > 0) this.send(function () { return { t: "flash-write", addr: addr, data: b64(part) }; });
      if (torn) this.cut("power cut during a journal write");
    },
    flashErase: function (addr) {
      if (this.dead) return;
      if (this.outside(addr, 1) !== -1) throw new Error("Flash: 0x" + addr.toString(16) + " is not in the free area (Flash.getFree) this board keeps");
      var o = addr - this.base;
      o -= o % this.pageBytes;
      this.image.fill(0xff, o, o + this.pageBytes);
      this.send(function () { return { t: "flash-erase", addr: addr }; });
    },
    flashPage: function (addr) {
      if (addr < 0 || addr >= this.chipBytes) return undefined;
      return { addr: addr - (addr % this.pageBytes), length: this.pageBytes };
    },
    flashFree: function () { return [{ addr: this.base, length: this.image.length }]; },

    netConnect: function (handlers) {
      var id = this.nextConn++;
      handlers.tx = new Framer();
      handlers.rx = new Framer();
      if (this.dead) return id;
      this.conns[id] = handlers;
      this.ws.send(JSON.stringify({ t: "net-connect", id: id }));
      return id;
    },
    netWrite: function (id, bytes) {
      var c = this.conns[id];
      if (this.dead || !c) return;
      var cutBefore = false;
      c.tx.push(bytes, function (f) {
        var mti = mtiOf(f);
        board.emit("sent", mti);
        if (board.armed === "before-request" && TXN_REQUESTS.indexOf(mti) >= 0) cutBefore = true;
      });
      if (cutBefore) return this.cut("power cut before the request left");
      var at = this.sentAt = this.now();
      this.unacked++;
      // the board's clock goes along: the embedded acquirer answers in board time, as in posrt terminal
      this.send(function () { return board.seal(bytes).then(function (d) { return { t: "net-write", id: id, data: d, at: at }; }); });
    },
    netEnd: function (id) {
      if (this.dead || !this.conns[id]) return;
      delete this.conns[id];
      this.send(function () { return { t: "net-end", id: id }; });
    },
    print: function (text) { if (!this.dead) this.emit("print", text); },
    serialWrite: function (port, bytes) { if (!this.dead) this.emit("serial", { port: port, bytes: bytes }); },
    /** A part on the page answers on a UART (e.g. the printer's status byte). */
    serialReply: function (port, bytes) {
      var w = this.frameWin;
      if (this.dead || !w || !w[port]) return;
      var s = "";
      for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
      w[port].emit("data", s);
    },
    ran: function () { if (!this.dead) this.emit("ran"); },

    // ---- the countertop: keys and cards reach the device through its console API ----
    key: function (k) { var d = this.device; if (d && d.key) this.run(function () { d.key(k); }); },
    card: function (kind, name) {
      var d = this.device;
      if (!d || !d.card) return;
      if (kind !== "remove") this.cardSeen = true;
      this.run(function () { d.card(kind, name); });
    },
    screen: function () {
      var d = this.device;
      if (this.dead || !d || !d.screen) return undefined;
      try { return d.screen(); } catch (e) { return undefined; }
    }
  };
  W.posrtBoard = board;
})(window);
