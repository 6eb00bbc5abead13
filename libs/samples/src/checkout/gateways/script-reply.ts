/** Every demo script answers a status code first (see its header), then strings. */
export type ScriptReply = [code: number, ...values: string[]];
