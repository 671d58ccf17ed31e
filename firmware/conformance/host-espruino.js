// Runs conformance vector files on the real Espruino interpreter against the ES5 bundle.
// The runner (cli/device/espruino-conformance.ts) prepends `var BUNDLE = "...", FILES = [...];`.
// Prints PASS/FAIL lines, FILE_S (file, cases, seconds it took) after each vector file, then the
// variables in use: EMPTY_VARS before the bundle, BUNDLE_VARS after loading it, PEAK_VARS the
// highest sampled after a case, TOTAL_VARS of the build.
var fs = require("fs");
var empty = process.memory().usage;
var t0 = getTime();
eval(fs.readFileSync(BUNDLE));
// The CRC-32 goes native as on the device (firmware/espruino/main.ts); the crc32 suite checks it against the portable one.
posrtConformance.useNativeCrc32(function (b, off, n) { return E.CRC32(b.subarray(off, off + n)); });
var base = process.memory().usage;
var peak = base;
print("LOAD_S " + (getTime() - t0));
for (var f = 0; f < FILES.length; f++) {
  var n = -1;
  var tf = getTime();
  try {
    n = posrtConformance.openVectors(fs.readFileSync(FILES[f]));
  } catch (e) {
    print("FAIL " + FILES[f] + ": cannot load: " + (e && e.message ? e.message : e));
  }
  for (var i = 0; i < n; i++) {
    var why;
    try {
      why = posrtConformance.runCase(i);
    } catch (e) {
      why = "engine error: " + (e && e.message ? e.message : e);
    }
    var used = process.memory(false).usage;
    if (used > peak) peak = used;
    var name = posrtConformance.caseName(i);
    print(why === "" ? "PASS " + name : "FAIL " + name + ": " + why);
  }
  if (n >= 0) posrtConformance.closeVectors();
  print("FILE_S " + FILES[f] + " " + n + " " + (getTime() - tf));
}
print("EMPTY_VARS " + empty);
print("BUNDLE_VARS " + base);
print("PEAK_VARS " + peak);
print("TOTAL_VARS " + process.memory().total);
print("DONE");
quit();
