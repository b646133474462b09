type Encoding = BufferEncoding | undefined;
export type Callback = ((error?: Error | null) => void) | undefined;

/** `write(chunk[, encoding][, callback])` or `end([chunk][, encoding][, callback])`, taken apart. */
export interface ChunkCall {
  chunk: unknown;
  encoding: Encoding;
  callback: Callback;
}

export function parseChunkCall(args: unknown[]): ChunkCall {
  const [first, second, third] = args;
  if (typeof first === "function")
    return { chunk: undefined, encoding: undefined, callback: first as Callback };
  if (typeof second === "function")
    return { chunk: first, encoding: undefined, callback: second as Callback };
  return {
    chunk: first,
    encoding: second as Encoding,
    callback: (typeof third === "function" ? third : undefined) as Callback,
  };
}

export function toBuffer(chunk: unknown, encoding: Encoding): Buffer {
  if (typeof chunk === "string") return Buffer.from(chunk, encoding ?? "utf8");
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  throw new TypeError("response chunk must be a string, Buffer or Uint8Array");
}
