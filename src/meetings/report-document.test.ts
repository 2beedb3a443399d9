import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { cleanFileName, describeDocument, recogniseReportDocument, REPORT_DOCUMENT_MAX_BYTES } from './report-document.ts';

const zip = (entry: string) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), Buffer.from(entry)]);

test('recognises each kind by its content, not its name alone', () => {
  const cases: [string, Buffer, string | null][] = [
    ['report.pdf', Buffer.from('%PDF-1.4 ...'), 'application/pdf'],
    ['report.PDF.exe', Buffer.from('%PDF-1.4 ...'), 'application/pdf'],
    ['report.docx', zip('[Content_Types].xml'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['report.odt', zip('mimetypeapplication/vnd.oasis.opendocument.text'), 'application/vnd.oasis.opendocument.text'],
    ['anything', zip('mimetypeapplication/vnd.oasis.opendocument.text'), 'application/vnd.oasis.opendocument.text'],
    ['report.txt', Buffer.from('Plain words.'), 'text/plain'],
    ['report.pdf', Buffer.from('not really a pdf'), null],
    ['report.docx', Buffer.from('not a zip'), null],
    ['sheet.xlsx', zip('[Content_Types].xml'), null],
    ['report.html', Buffer.from('<script>alert(1)</script>'), null],
  ];
  for (const [name, content, expected] of cases) {
    const result = recogniseReportDocument({ fileName: name, content });
    assert.equal(result.ok ? result.mediaType : null, expected, name);
  }
});

test('a text file is read as UTF-8 with its byte-order mark and Windows line ends removed', () => {
  const result = recogniseReportDocument({ fileName: 'r.txt', content: Buffer.from('\uFEFFOne.\r\n\r\nTwo.') });
  assert.ok(result.ok);
  assert.equal(result.text, 'One.\n\nTwo.');
  assert.deepEqual(recogniseReportDocument({ fileName: 'r.txt', content: Buffer.from([0xff, 0xfe, 0x00]) }), { ok: false, message: 'The text file must be saved as UTF-8' });
});

test('empty, oversized, cut-short and nameless files are refused with a reason', () => {
  assert.deepEqual(recogniseReportDocument({ fileName: 'r.pdf', content: Buffer.alloc(0) }), { ok: false, message: 'The selected file is empty' });
  assert.deepEqual(recogniseReportDocument({ fileName: 'r.pdf', content: Buffer.alloc(REPORT_DOCUMENT_MAX_BYTES + 1) }), { ok: false, message: 'The file must be 10 MB or smaller' });
  assert.deepEqual(recogniseReportDocument({ fileName: 'r.pdf', content: Buffer.from('%PDF-'), truncated: true }), { ok: false, message: 'The file must be 10 MB or smaller' });
  assert.equal(recogniseReportDocument({ fileName: '\u0000\u0001', content: Buffer.from('%PDF-') }).ok, false);
});

test('file names lose their folders and control characters, keep their extension, and stay short', () => {
  assert.equal(cleanFileName('C:\\Users\\clerk\\report.pdf'), 'report.pdf');
  assert.equal(cleanFileName('../../etc/passwd'), 'passwd');
  assert.equal(cleanFileName('a"b\r\nc.pdf'), 'abc.pdf');
  assert.equal(cleanFileName(`${'x'.repeat(300)}.pdf`), `${'x'.repeat(196)}.pdf`);
  fc.assert(
    fc.property(fc.string({ maxLength: 400 }), (name) => {
      const clean = cleanFileName(name);
      // eslint-disable-next-line no-control-regex
      return clean.length <= 200 && !/[\u0000-\u001F\u007F"/\\]/.test(clean);
    }),
  );
});

test('a download link describes the file', () => {
  assert.equal(describeDocument('application/pdf', 512), 'PDF, 512 bytes');
  assert.equal(describeDocument('application/pdf', 245_000), 'PDF, 240 KB');
  assert.equal(describeDocument('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 3 * 1024 * 1024), 'Word document, 3.0 MB');
});
