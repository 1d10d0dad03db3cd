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

export interface Report {
  file: string;
  format: string;
  image: { width: number; height: number } | null;
  risk: Risk;
  location: ({ position?: Position; [key: string]: unknown }) | null;
  findings: Finding[];
  faces: unknown[] | null;
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
  /** Reserved: this build has no face detector, `faces` stays null. */
  faces?: boolean;
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
  /** Areas to cover for good, in upright pixel coordinates (re-encodes the picture). */
  cover?: { x: number; y: number; w: number; h: number }[];
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
