// What kind of firmware this build is. A development build may use the published TEST master
// key (the boot banner then says TEST KEYS) and accepts a master key injected in clear; a
// production build does neither. The bundles built today are development builds.
export const DEVELOPMENT_BUILD = true;
