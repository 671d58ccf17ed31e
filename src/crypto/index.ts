// Portable crypto: DES/3DES (ECB, CBC), the X9.19 retail MAC and key check values.
export { DES_BLOCK_BYTES, MAX_CRYPT_BYTES, TdesKey, tdesKey, ecb, cbcEncrypt, cbcDecrypt, cryptBlockAt } from "./des";
export { MAC_BYTES, KCV_BYTES, CUP_ECB_MAC_CHARS, macX919, macCupEcb, macCupEcbText, checkValue, kcv, MAC_X919, MAC_CUP_ECB, MAC_ALGORITHMS, checkMacAlgorithm, macBy } from "./mac";
export { KEY_SCHEME_SINGLE, KEY_SCHEME_DOUBLE, KEY_SCHEME_DOUBLE_TRACK, FIELD62_CHECK_BYTES, WorkingKeys, schemeOfField62, encodeWorkingKeys, decodeWorkingKeys } from "./keys";
