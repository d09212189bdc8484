import { z } from 'zod';

/** A fact that may be missing says why: `{known:true,value}` or `{known:false,reason}`. */
export const known = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('known', [
    z.object({ known: z.literal(true), value }),
    z.object({ known: z.literal(false), reason: z.string().min(1) }),
  ]);

export type Known<T> = { known: true; value: T } | { known: false; reason: string };

export const isKnown = <T>(k: Known<T>): k is { known: true; value: T } => k.known;
export const knownValue = <T>(value: T): Known<T> => ({ known: true, value });
export const unknownFact = <T = never>(reason: string): Known<T> => ({ known: false, reason });
