import { createServer } from "node:net";
import { UsageError } from "./usage-error.js";

/** One line for a socket that cannot listen at `host:port` (the reference's uvicorn logs `[Errno 98] Address already in use`). */
export function listenError(e: unknown, host: string, port: number): UsageError | undefined {
  const code = (e as NodeJS.ErrnoException).code;
  const at = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  if (code === "EADDRINUSE")
    return new UsageError(
      `Port ${port} is already in use on ${host}: another server listens at ${at}. Stop it, or choose another port with --port (or MLFLOW_PORT).`,
    );
  if (code === "EACCES")
    return new UsageError(`Cannot listen at ${at}: permission denied (ports below 1024 need privileges); use --port.`);
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND" || code === "EAI_AGAIN")
    return new UsageError(`Cannot listen at ${at}: ${host} is not an address of this machine; check --host.`);
  return undefined;
}

/**
 * Tries to listen at `host:port` and lets go at once, so that a port in use stops the start before any folder or
 * database is created. (The real listen can still lose a race; its error is answered the same way.)
 */
export async function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (e) => reject(listenError(e, host, port) ?? e));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
