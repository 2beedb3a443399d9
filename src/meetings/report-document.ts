// Which uploaded files can stand as the Mayor's report, recognised by their content (not by what the browser claims).
import type { ReportDocumentMediaType } from '../db/schema.ts';

export const REPORT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;

export interface UploadedFile {
  fileName: string;
  content: Buffer;
  /** The upload was cut short at the size limit. */
  truncated?: boolean;
}

export type RecognisedDocument = { ok: true; fileName: string; mediaType: ReportDocumentMediaType; text: string | null } | { ok: false; message: string };

const KINDS = 'a PDF, a Word document (.docx), an OpenDocument text (.odt) or a plain text (.txt) file';

/** A file name safe to show and to send back in Content-Disposition: the last path segment, printable, at most 200 characters. */
export function cleanFileName(raw: string): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const printable = last.replace(/[\u0000-\u001F\u007F"]/g, '').trim();
  if (printable.length <= 200) return printable;
  const dot = printable.lastIndexOf('.');
  const extension = dot > 0 && printable.length - dot <= 10 ? printable.slice(dot) : '';
  return printable.slice(0, 200 - extension.length) + extension;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** Recognises a PDF, DOCX, ODT or UTF-8 text file; anything else, or an empty or oversized file, is refused with a reason. */
export function recogniseReportDocument(file: UploadedFile): RecognisedDocument {
  const fileName = cleanFileName(file.fileName);
  if (file.truncated || file.content.length > REPORT_DOCUMENT_MAX_BYTES) return { ok: false, message: 'The file must be 10 MB or smaller' };
  if (file.content.length === 0) return { ok: false, message: 'The selected file is empty' };
  if (fileName === '') return { ok: false, message: 'The file has no name: rename it and upload it again' };
  const extension = extensionOf(fileName);
  if (file.content.subarray(0, 5).toString('latin1') === '%PDF-') return { ok: true, fileName, mediaType: 'application/pdf', text: null };
  if (isZip(file.content) && extension === 'docx') return { ok: true, fileName, mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', text: null };
  // An ODF package stores its media type uncompressed as the first entry, so it can be read without unzipping.
  if (isZip(file.content) && file.content.subarray(30, 80).toString('latin1').startsWith('mimetypeapplication/vnd.oasis.opendocument.text')) {
    return { ok: true, fileName, mediaType: 'application/vnd.oasis.opendocument.text', text: null };
  }
  if (extension === 'txt' || extension === 'text') {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file.content);
    } catch {
      return { ok: false, message: 'The text file must be saved as UTF-8' };
    }
    if (text.includes('\u0000')) return { ok: false, message: 'The text file must be saved as UTF-8' };
    return { ok: true, fileName, mediaType: 'text/plain', text: text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n') };
  }
  return { ok: false, message: `The file must be ${KINDS}` };
}

/** "PDF, 240 KB": how a download link describes the file. */
export function describeDocument(mediaType: ReportDocumentMediaType, bytes: number): string {
  const kind = { 'application/pdf': 'PDF', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document', 'application/vnd.oasis.opendocument.text': 'OpenDocument text', 'text/plain': 'plain text' }[mediaType];
  const size = bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${kind}, ${size}`;
}
