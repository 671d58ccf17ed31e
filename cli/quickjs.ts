// One QuickJS session for everything that runs an ES5 bundle inside the memory-capped engine:
// the conformance runner and the memory benchmarks.
import { getQuickJS } from "quickjs-emscripten";

type QuickJs = Awaited<ReturnType<typeof getQuickJS>>;
export type QjsRuntime = ReturnType<QuickJs["newRuntime"]>;
export type QjsContext = ReturnType<QjsRuntime["newContext"]>;

export interface QuickJsSession {
  rt: QjsRuntime;
  ctx: QjsContext;
  /** Bytes in use as the engine reports them (memory_used_size). */
  used(): number;
  /** Evaluates `code` and returns its value dumped to Node; an exception becomes an Error. */
  evalValue(code: string): unknown;
  dispose(): void;
}

function describe(err: { name?: string; message?: string } | undefined): string {
  return err && err.message ? `${err.name}: ${err.message}` : JSON.stringify(err);
}

/** A fresh runtime and context, capped at `memoryLimit_bytes` when given; `label` prefixes errors. */
export async function openQuickJs(memoryLimit_bytes?: number, label?: string): Promise<QuickJsSession> {
  const rt = (await getQuickJS()).newRuntime();
  if (memoryLimit_bytes !== undefined) rt.setMemoryLimit(memoryLimit_bytes);
  const ctx = rt.newContext();
  const prefix = label === undefined ? "" : label + ": ";
  return {
    rt,
    ctx,
    used(): number {
      const h = rt.computeMemoryUsage();
      const v = ctx.dump(h).memory_used_size as number;
      h.dispose();
      return v;
    },
    evalValue(code: string): unknown {
      const res = ctx.evalCode(code);
      if (res.error) {
        const err = ctx.dump(res.error);
        res.error.dispose();
        throw new Error(prefix + describe(err));
      }
      const v = ctx.dump(res.value);
      res.value.dispose();
      return v;
    },
    dispose(): void {
      ctx.dispose();
      rt.dispose();
    },
  };
}
