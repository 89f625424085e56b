import { describe, expect, it } from "vitest";
import { HELP, parseCommand } from "./options.js";
import { mlflowArgv } from "./server-flags.js";

const parse = (argv: string[], env: Record<string, string> = {}) => parseCommand(["server", ...argv], env);
const flags = (argv: string[], env: Record<string, string> = {}) => {
  const command = parse(argv, env);
  return command.kind === "server" ? command.options.serverFlags : command;
};

describe("--expose-prometheus", () => {
  it("is off by default and read from the flag over MLFLOW_EXPOSE_PROMETHEUS", () => {
    expect(flags([])).toEqual({ notices: [] });
    expect(flags([], { MLFLOW_EXPOSE_PROMETHEUS: "/tmp/env-prom" })).toMatchObject({
      exposePrometheus: "/tmp/env-prom",
    });
    expect(flags(["--expose-prometheus", "/tmp/p"], { MLFLOW_EXPOSE_PROMETHEUS: "/tmp/env" })).toMatchObject({
      exposePrometheus: "/tmp/p",
    });
  });
});

describe("--static-prefix", () => {
  it("is read from the flag over MLFLOW_STATIC_PREFIX", () => {
    expect(flags(["--static-prefix", "/mlflow"])).toMatchObject({ staticPrefix: "/mlflow" });
    expect(flags([], { MLFLOW_STATIC_PREFIX: "/a/b" })).toMatchObject({ staticPrefix: "/a/b" });
  });

  it("is checked with the reference's words", () => {
    const cases: [string, string][] = [
      ["mlflow", "Error: --static-prefix must begin with a '/'."],
      ["/mlflow/", "Error: --static-prefix should not end with a '/'."],
      ["/ml{flow}", "Error: --static-prefix must not contain '{' or '}'."],
    ];
    for (const [value, message] of cases)
      expect(parse(["--static-prefix", value]), value).toEqual({ kind: "error", message });
  });
});

describe("flags accepted with a note", () => {
  it("--workers / -w / MLFLOW_WORKERS: one process, said once", () => {
    for (const argv of [
      ["--workers", "4"],
      ["-w", "4"],
    ])
      expect(flags(argv)).toEqual({
        notices: [expect.stringMatching(/^--workers 4 is ignored: tracklite serves from one process/)],
      });
    expect(flags([], { MLFLOW_WORKERS: "8" })).toMatchObject({ notices: [expect.stringContaining("--workers 8")] });
  });

  it("--secrets-cache-ttl and --secrets-cache-max-size: range-checked as click does, then ignored", () => {
    expect(flags(["--secrets-cache-ttl", "30", "--secrets-cache-max-size", "10"])).toMatchObject({
      notices: [expect.stringContaining("--secrets-cache-ttl"), expect.stringContaining("--secrets-cache-max-size")],
    });
    expect(parse(["--secrets-cache-ttl", "5"])).toMatchObject({
      kind: "error",
      message: "Error: Invalid value for '--secrets-cache-ttl': 5 is not in the range 10<=x<=300.",
    });
    expect(parse(["--secrets-cache-max-size", "many"])).toMatchObject({
      message: "Error: Invalid value for '--secrets-cache-max-size': 'many' is not a valid integer.",
    });
  });
});

describe("refused flags", () => {
  it("each answer one line", () => {
    const refused: [string[], RegExp][] = [
      [["--gunicorn-opts", "--timeout 60"], /gunicorn/],
      [["--waitress-opts", "--threads 4"], /waitress/],
      [["--uvicorn-opts", "--log-level debug"], /uvicorn/],
      [["--dev"], /--dev/],
    ];
    for (const [argv, pattern] of refused) {
      const command = parse(argv);
      expect(command, argv[0]).toMatchObject({ kind: "error", message: expect.stringMatching(pattern) });
      if (command.kind === "error") expect(command.message).not.toContain("\n");
    }
  });

  it("their MLflow variables are ignored with a note, so an inherited environment still starts", () => {
    expect(flags([], { MLFLOW_UVICORN_OPTS: "--reload" })).toEqual({
      notices: [
        "MLFLOW_UVICORN_OPTS is ignored: tracklite does not run under uvicorn; --uvicorn-opts is not supported.",
      ],
    });
  });
});

describe("-h", () => {
  it("with a value is mlflow's --host; alone it is the help", () => {
    expect(mlflowArgv(["server", "-h", "0.0.0.0", "-p", "80"])).toEqual(["server", "--host", "0.0.0.0", "-p", "80"]);
    const command = parse(["-h", "0.0.0.0"]);
    expect(command.kind === "server" && command.options.host).toBe("0.0.0.0");
    expect(parse(["-h"])).toEqual({ kind: "help" });
    expect(parseCommand(["-h"], {})).toEqual({ kind: "help" });
  });
});

describe("the help", () => {
  it("lists every flag this file adds", () => {
    for (const flag of [
      "--expose-prometheus",
      "--static-prefix",
      "--workers",
      "--gunicorn-opts",
      "--dev",
      "--secrets-cache-ttl",
    ])
      expect(HELP, flag).toContain(flag);
  });
});
