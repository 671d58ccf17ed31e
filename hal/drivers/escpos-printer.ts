// Printer driver for a 58 mm ESC/POS thermal printer on a UART (Printer HAL). Lines and raw
// ESC/POS bytes go into one bounded queue; the driver sends it line by line and after every
// line feed asks the paper sensor (DLE EOT 4, answered in real time). Paper end stops the
// queue (nothing is dropped: the printer keeps the line it could not print, the driver keeps
// the rest) and reports "paper-out"; resume() asks again and goes on. No answer within
// STATUS_TIMEOUT_MS reports "io" (printer off, cable, wrong baud rate).
import { Bus, Serial } from "../bus";
import { Printer, PrinterOptions } from "../printer";
import { Bytes, alloc, get, len, set } from "../../src/bytes/index";
import { fail } from "../../src/errors";

/** Characters per line, font A on 58 mm paper. */
export const PRINTER_COLUMNS = 32;
/** Bytes the driver queues (a whole receipt of plain lines fits). */
export const PRINTER_QUEUE_BYTES = 2048;
/** How often the queue is pumped into the UART. */
export const PUMP_MS = 2;
/** How long the printer may take to answer a status request. */
export const STATUS_TIMEOUT_MS = 200;

const LF = 0x0a;
const STATUS_REQUEST: number[] = [0x10, 0x04, 0x04];

export interface EscPosPrinterDriverOptions extends PrinterOptions {
  bus: Bus;
  port: number;
  baud: number;
  tx_pin: number;
  rx_pin: number;
}

/** The Printer HAL plus raw ESC/POS output. */
export interface EscPosPrinterDriver extends Printer {
  /** Queues ESC/POS bytes as they are; false (nothing queued) when they do not fit. */
  write(escpos: Bytes): boolean;
}

type State = "idle" | "sending" | "status" | "stopped";

interface Q {
  buf: Bytes;
  head: number;
  n: number;
  state: State;
  owed: boolean;
  timeout: number;
  pump: number;
  sentLf: boolean;
  statusSent: number;
}

/** Opens the printer on its UART. */
export function openEscPosPrinter(o: EscPosPrinterDriverOptions): EscPosPrinterDriver {
  const q: Q = { buf: alloc(PRINTER_QUEUE_BYTES), head: 0, n: 0, state: "idle", owed: false, timeout: 0, pump: 0, sentLf: false, statusSent: 0 };
  const one = alloc(1);
  const rx = alloc(8);
  const status = alloc(3);
  for (let i = 0; i < 3; i++) set(status, i, STATUS_REQUEST[i]);
  let serial: Serial | undefined = undefined;

  const push = (v: number): void => {
    set(q.buf, (q.head + q.n) % PRINTER_QUEUE_BYTES, v);
    q.n = q.n + 1;
  };
  const room = (): number => PRINTER_QUEUE_BYTES - q.n;
  const stop = (why: "paper-out" | "io"): void => {
    q.state = "stopped";
    if (q.timeout !== 0) o.bus.cancel(q.timeout);
    q.timeout = 0;
    o.onError(why);
  };
  const ask = (): void => {
    q.state = "status";
    q.statusSent = 0;
    q.timeout = o.bus.timer({ delay_ms: STATUS_TIMEOUT_MS, onFire: () => {
      q.timeout = 0;
      stop("io");
    } });
  };
  const answered = (b: number): void => {
    if (q.state !== "status") return;
    if (q.timeout !== 0) o.bus.cancel(q.timeout);
    q.timeout = 0;
    if ((b & 0x93) !== 0x12) return stop("io");
    if ((b & 0x60) !== 0) return stop("paper-out");
    q.state = "sending";
  };
  /** Sends queued bytes up to and including the next line feed, then asks for the paper status. */
  const pumpOnce = (): void => {
    const s = serial as Serial;
    if (q.state === "status" && q.statusSent < 3) {
      q.statusSent = q.statusSent + s.write(status, q.statusSent, 3 - q.statusSent);
      return;
    }
    if (q.state !== "sending") return;
    let guard = 0;
    while (q.n > 0 && guard < PRINTER_QUEUE_BYTES) {
      guard = guard + 1;
      const v = get(q.buf, q.head);
      set(one, 0, v);
      if (s.write(one, 0, 1) === 0) return;
      q.head = (q.head + 1) % PRINTER_QUEUE_BYTES;
      q.n = q.n - 1;
      if (v === LF) {
        ask();
        q.statusSent = s.write(status, 0, 3);
        return;
      }
    }
    if (q.n === 0) {
      q.state = "idle";
      o.bus.cancel(q.pump);
      q.pump = 0;
      if (q.owed) {
        q.owed = false;
        o.onWritable();
      }
    }
  };
  const kick = (): void => {
    q.owed = true;
    if (q.state === "idle") q.state = "sending";
    if (q.pump === 0) q.pump = o.bus.timer({ delay_ms: PUMP_MS, interval_ms: PUMP_MS, onFire: pumpOnce });
  };
  serial = o.bus.serial({
    port: o.port, baud: o.baud, tx_pin: o.tx_pin, rx_pin: o.rx_pin,
    onReadable: () => {
      let guard = 0;
      let k = (serial as Serial).read(rx, 0, len(rx));
      while (k > 0 && guard < PRINTER_QUEUE_BYTES) {
        for (let i = 0; i < k; i++) answered(get(rx, i));
        k = (serial as Serial).read(rx, 0, len(rx));
        guard = guard + 1;
      }
    },
  });
  const queueList = (bytes: number[]): boolean => {
    if (bytes.length > room()) return false;
    for (let i = 0; i < bytes.length; i++) push(bytes[i]);
    kick();
    return true;
  };
  return {
    columns: PRINTER_COLUMNS,
    line: (text: string, bold: boolean, double_height: boolean): boolean => {
      const t = text.length > PRINTER_COLUMNS ? text.substring(0, PRINTER_COLUMNS) : text;
      const bytes: number[] = [0x1b, 0x21, (bold ? 0x08 : 0) | (double_height ? 0x10 : 0)];
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        bytes.push(c >= 0x20 && c <= 0x7e ? c : 0x3f);
      }
      bytes.push(LF);
      return queueList(bytes);
    },
    feed: (lines: number): void => {
      // ESC d n-1 then LF: n lines in all, and the LF brings a paper-status check
      const n = lines > 255 ? 255 : Math.floor(lines);
      if (n === 1) queueList([0x1b, 0x21, 0x00, LF]);
      else if (n > 1) queueList([0x1b, 0x21, 0x00, 0x1b, 0x64, n - 1, LF]);
    },
    cut: (): void => {
      queueList([0x1d, 0x56, 0x01]);
    },
    write: (escpos: Bytes): boolean => {
      const n = len(escpos);
      if (n > room()) return false;
      for (let i = 0; i < n; i++) push(get(escpos, i));
      kick();
      return true;
    },
    resume: (): void => {
      if (q.state !== "stopped") return;
      ask();
      if (q.pump === 0) q.pump = o.bus.timer({ delay_ms: PUMP_MS, interval_ms: PUMP_MS, onFire: pumpOnce });
    },
    close: (): void => {
      if (q.pump !== 0) o.bus.cancel(q.pump);
      if (q.timeout !== 0) o.bus.cancel(q.timeout);
      q.pump = 0;
      q.timeout = 0;
      if (serial !== undefined) serial.close();
    },
  };
}

/** Misuse guard shared by the board wiring: a printer needs a UART other than the console's. */
export function checkPrinterPort(port: number): void {
  if (port === 0) fail("printer", "UART0 is the console; give the printer UART1 or UART2");
}
