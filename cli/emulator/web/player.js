// The "play script" box: the script format of `posrt terminal --script` (parsed by the same
// portable module, src/app/script.ts, from the page library), played into the board through
// the device's console API. Time as in posrt terminal: while a script plays the board clock
// stands still and moves only when the script moves it — `wait MS` at once, `expect TEXT` to
// the board's next event (a device timer, an acquirer answer due) while the text is not
// shown, up to EXPECT_TIMEOUT_MS of board time — so a 30-second reply timeout takes no 30
// seconds and the display shows the same frames as on the command line.
"use strict";
(function (W) {
  var QUIET_MS = 2;
  var MAX_SETTLE_MS = 3000;
  /** Board time an expect may take: posrt terminal's (src/app/run-script.ts, from the profile). */
  var EXPECT_TIMEOUT_MS = 65000;
  var REBOOT_TIMEOUT_MS = 10000;
  /** Real time an expect may wait on the network when no device timer is pending. */
  var MAX_REAL_EXPECT_MS = 10000;
  var o, lastActivity = 0, boots = 0, playing = false;

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function screenText() { var r = o.board.screen(); return r === undefined ? "" : Array.prototype.join.call(r, "\n"); }

  /** Waits until nothing ran on the board for QUIET_MS and nothing is on the network (bounded). */
  function settle() {
    var t0 = performance.now();
    function loop() {
      var now = performance.now();
      if ((now - lastActivity >= QUIET_MS && !o.board.busy()) || now - t0 > MAX_SETTLE_MS) return Promise.resolve();
      return sleep(10).then(loop);
    }
    return sleep(QUIET_MS).then(loop);
  }

  function waitBoard(ms) {
    var left = ms;
    function loop() {
      if (left <= 0) return settle();
      var d = o.board.nextDue();
      var step = d < 0 || d > left ? left : Math.max(1, d);
      o.board.advance(step);
      left -= step;
      return settle().then(loop);
    }
    return loop();
  }

  function expect(text) {
    var used = 0, t0 = performance.now();
    function loop() {
      if (screenText().indexOf(text) >= 0) return Promise.resolve();
      if (used >= EXPECT_TIMEOUT_MS || performance.now() - t0 > MAX_REAL_EXPECT_MS) return Promise.reject(new Error("expected \"" + text + "\" on the display; it shows:\n" + screenText()));
      var d = o.board.nextDue();
      if (d < 0) return settle().then(loop);
      var step = Math.max(1, Math.min(d, EXPECT_TIMEOUT_MS - used));
      o.board.advance(step);
      used += step;
      return settle().then(loop);
    }
    return settle().then(loop);
  }

  function reboot() {
    var before = boots, t0 = performance.now();
    o.board.cut("power-cut (script)");
    function loop() {
      if (boots > before) return settle();
      if (performance.now() - t0 > REBOOT_TIMEOUT_MS) return Promise.reject(new Error("the board did not boot again"));
      return sleep(20).then(loop);
    }
    return loop();
  }

  function run(s) {
    switch (s.k) {
      case "key": o.board.key(s.arg); return settle();
      case "swipe": case "insert": case "tap": o.board.card(s.k, s.arg); return settle();
      case "remove": o.board.card("remove", ""); return settle();
      case "power-cut": return reboot();
      case "wait": return waitBoard(s.ms);
      case "expect": return expect(s.arg);
      default: return Promise.reject(new Error("unknown step " + s.k));
    }
  }

  W.posrtPlayer = {
    init: function (opts) {
      o = opts;
      if (opts.expect_timeout_ms) EXPECT_TIMEOUT_MS = opts.expect_timeout_ms;
      o.board.on("ran", function () { lastActivity = performance.now(); });
      o.board.on("booted", function () { boots++; lastActivity = performance.now(); });
    },
    /** Plays `text`; resolves to { ok, steps, error }. */
    play: function (text) {
      if (playing) return Promise.resolve({ ok: false, steps: 0, error: "a script is already playing" });
      var lib = W.posrtPage, steps;
      if (!lib || !lib.parseScript) { o.status("the script parser is not in this build"); return Promise.resolve({ ok: false, steps: 0, error: "no parser" }); }
      try { steps = lib.parseScript(text); } catch (e) { o.status(e.message); return Promise.resolve({ ok: false, steps: 0, error: e.message }); }
      playing = true;
      o.board.freeze(true);
      var i = 0;
      function next() {
        if (i >= steps.length) return Promise.resolve();
        var s = steps[i++];
        o.status("line " + s.line + ": " + s.k + (s.arg !== "" ? " " + s.arg : ""));
        return run(s).then(next, function (e) { throw new Error("script line " + s.line + ": " + e.message); });
      }
      return next().then(function () {
        playing = false;
        o.board.freeze(false);
        o.status("done: " + steps.length + " steps");
        return { ok: true, steps: steps.length };
      }, function (e) {
        playing = false;
        o.board.freeze(false);
        o.status(e.message);
        return { ok: false, steps: i, error: e.message };
      });
    }
  };
})(window);
