// Script pieces the terminal-app tests share (the `posrt terminal --script` format):
// operator 01 signs on, then the host sign-in from the admin menu.
export const SIGN_ON = `expect POWER ON
key enter
keys 01
key enter
keys 0000
key enter
expect enter: menu`;
export const HOST_SIGN_IN = `key enter
key 9
key 1
expect Signed in with the
key enter
key cancel
expect enter: menu`;
/** Signed on and signed in: the menu is one `enter` away. */
export const READY = SIGN_ON + "\n" + HOST_SIGN_IN;
