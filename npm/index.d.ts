// Types for the thinktwice npm package (see index.js).

export type Severity = 'high' | 'medium' | 'low' | 'info';
export type Risk = 'high' | 'people' | 'medium' | 'low' | 'none';

export interface Evidence { source: string; field: string; value: string; }

export interface Finding {
  /** Stable id, e.g. "gps-location", "person-name", "device-serial", "embedded-thumbnail". */
  id: string;
  severity: Severity;
  category: string;
  /** Plain words for people (in `lang` when asked for and available). */
  title: string;
  why: string;
  advice: string;
  evidence: Evidence[];
}

export interface Position { lat: number; lon: number; [key: string]: unknown; }

/** A face found in the picture, in upright pixels of the photo. */
export interface Face { x: number; y: number; w: number; h: number; score: number; }

export type CodeKind = 'boarding-pass' | 'wifi' | 'payment' | 'contact' | 'phone' | 'email' | 'geo' | 'url' | 'text';

/** A QR code or bar code read in the picture; its text is only ever given masked (`summary`). */
export interface Code {
  /** "qr", "aztec", "pdf417", "data-matrix", "code-128", "ean-13", ... */
  format: string;
  kind: CodeKind;
  x: number; y: number; w: number; h: number;
  summary: string;
}

/** An area of the picture, in whole upright pixels. */
export interface Box { x: number; y: number; w: number; h: number; }

export interface Report {
  file: string;
  format: string;
  image: { width: number; height: number } | null;
  risk: Risk;
  location: ({ position?: Position; [key: string]: unknown }) | null;
  findings: Finding[];
  /** Faces found in the picture (upright pixels); null when the picture was not looked at. */
  faces: Face[] | null;
  /** QR codes and bar codes read in the picture; null when the picture was not looked at. */
  codes: Code[] | null;
  /** What was looked at, and what no file check can see. */
  checked: string[];
  not_checked: string[];
  /** A sentence for people when the file could not be read; null otherwise. */
  error: string | null;
  lang?: string;
}

export type PhotoInput = File | Blob | ArrayBuffer | Uint8Array;

export interface CheckOptions {
  /** Catalog language for titles and advice, e.g. "hi" (English when missing). */
  lang?: string;
  /** Look for faces in the picture (default true; loads the picture module and face model on first use). */
  faces?: boolean;
  /** Read QR codes and bar codes in the picture (default true). */
  codes?: boolean;
  /** File name echoed in the report (defaults to File.name). */
  name?: string;
}

export interface SaferCopyOptions {
  lang?: string;
  /** Keep the date and time the photo was taken. Default false. */
  keep_date?: boolean;
  /** Keep only a rough location (about 10 km). Default false. */
  town_only?: boolean;
  /** Keep the photographer's name and copyright. Default false. */
  keep_author?: boolean;
  /** Keep which way up the photo is shown. Default true. */
  keep_orientation?: boolean;
  /** Keep the colour profile. Default true. */
  keep_colour_profile?: boolean;
  /**
   * What to cover for good (re-encodes the picture): true (default) = every face and the codes
   * that give much away, as the core decides; false = nothing; a list = exactly those boxes.
   */
  cover?: boolean | Box[];
  /** A report from checkPhoto for this same photo, so the picture is not looked at again. */
  report?: Report;
  cover_style?: 'pixelate' | 'solid';
}

export interface SaferCopy {
  blob: Blob;
  bytes: Uint8Array;
  /** Format of the copy (TIFF input becomes PNG). */
  format: string;
  /** Finding ids that were in the original and are gone. */
  removed: string[];
  /** Finding ids kept by choice, plus "orientation" / "colour-profile". */
  kept: string[];
  /** The boxes that were covered. */
  covered: Box[];
  /** True when the picture data was copied unchanged. */
  lossless: boolean;
  /** ThinkTwice's check of the copy. */
  report: Report;
}

/** What checkPhoto / saferCopy reject with: `message` is a sentence for people. */
export interface ThinkTwiceError extends Error {
  kind: 'start' | 'too-big' | 'read' | 'refused' | 'trap' | 'timeout' | 'crash' | 'closed';
}

export function checkPhoto(input: PhotoInput, options?: CheckOptions): Promise<Report>;
export function saferCopy(input: PhotoInput, options?: SaferCopyOptions): Promise<SaferCopy>;
export function close(): void;
