#!/usr/bin/env node
/**
 * A real S3-compatible server (s3rver, from the repo's node_modules) for the compat suite's S3 destination.
 * Usage: node s3rver.mjs DIRECTORY BUCKET — prints one JSON line {"port": N} once listening; stops on SIGTERM.
 */
import S3rver from "s3rver";

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
