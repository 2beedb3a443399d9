// A real SMTP server on loopback for tests: collects what it receives in memory and can refuse or stall on demand.
import net from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';

export interface ReceivedMail {
  envelopeFrom: string | undefined;
  envelopeTo: string[];
  /** Header names in lower case; folded lines unfolded. */
  headers: Map<string, string>;
  body: string;
}

export interface SmtpTestServer {
  url: string;
  received: ReceivedMail[];
  /** What RCPT TO answers: undefined accepts, otherwise an SMTP reply code and text. */
  rejectRecipients: { code: number; message: string } | undefined;
  /** When set, DATA is read but not answered until the test settles it with releaseHeld(). */
  holdData: boolean;
  /** How many messages are being held. */
  readonly held: number;
  /** Answers every held message: accepts it (it then counts as received) or refuses it with an error. */
  releaseHeld(outcome: 'accept' | 'refuse'): void;
  close(): Promise<void>;
}

export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const heldMessages: { mail: ReceivedMail; answer: (err?: Error | null) => void }[] = [];

  const state: SmtpTestServer = {
    url: '',
    received: [],
    rejectRecipients: undefined,
    holdData: false,
    get held() {
      return heldMessages.length;
    },
    releaseHeld(outcome) {
      for (const { mail, answer } of heldMessages.splice(0)) {
        if (outcome === 'accept') {
          state.received.push(mail);
          answer();
        } else {
          answer(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 }));
        }
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server = new SMTPServer({
    authOptional: true,
    // Without TLS certificates of our own, STARTTLS would only make the client reject the built-in one.
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 200,
    onRcptTo(_address, _session, callback) {
      const refusal = state.rejectRecipients;
      if (refusal) callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      else callback();
    },
    onData(stream, session, callback) {
      void readAll(stream).then((raw) => {
        const mail: ReceivedMail = {
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          ...parseMessage(raw),
        };
        if (state.holdData) {
          heldMessages.push({ mail, answer: callback });
        } else {
          state.received.push(mail);
          callback();
        }
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address() as net.AddressInfo;
  state.url = `smtp://127.0.0.1:${address.port}`;
  return state;
}

/** A loopback URL where nothing listens: a mail server that is down. */
export async function closedSmtpUrl(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `smtp://127.0.0.1:${port}`;
}

async function readAll(stream: SMTPServerDataStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Just enough RFC 5322 for assertions: unfolded headers and the body (tests send short ASCII text, so 7bit). */
export function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n(?=[ \t])/g, '').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: body.replace(/\r\n$/, '') };
}
