// A synthetic file in the UK Parliament written-questions format for the import benchmark, written as a stream.
import fs from 'node:fs';

const WORDS = 'transport housing policing budget river bridge school hospital library park council rent buses trains cycling air quality planning homes police officers crime victims youth services fire brigade energy waste recycling water flood culture museum'.split(' ');
function sentence(seed: number, words: number): string {
  const out: string[] = [];
  let x = seed;
  for (let i = 0; i < words; i += 1) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(WORDS[x % WORDS.length] as string);
  }
  return out.join(' ');
}

/** A synthetic file in the Commons format, written as a stream (never held in memory). */
export async function writeSynthetic(file: string, size: number): Promise<void> {
  const out = fs.createWriteStream(file);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve)));
  await write('[');
  for (let i = 0; i < size; i += 1) {
    const year = 2001 + Math.floor(i / 400_000);
    const dayOfYear = (i % 400_000) % 300;
    const tabled = new Date(Date.UTC(year, 0, 2 + dayOfYear));
    const day = (d: Date) => `${d.toISOString().slice(0, 10)}T00:00:00`;
    const answered = new Date(tabled.getTime() + ((i % 9) + 1) * 86_400_000);
    const corrected = i % 400 === 7;
    const value = {
      id: 50_000_000 + i, uin: String((i % 400_000) + 1), askingMemberId: 1000 + (i % 650), answeringMemberId: 5000 + (i % 40),
      answeringBodyId: 10 + (i % 25), answeringBodyName: `Department ${i % 25}`, dateTabled: day(tabled), dateForAnswer: day(new Date(tabled.getTime() + 3 * 86_400_000)),
      dateAnswered: day(answered), heading: `${sentence(i, 3)}`, questionText: `To ask the Secretary of State, ${sentence(i + 1, 28)}.`,
      answerText: `${sentence(i + 2, 40)}.`, answerIsHolding: false, answerIsCorrection: corrected, originalAnswerText: corrected ? `${sentence(i + 3, 30)}.` : '',
      dateAnswerCorrected: corrected ? day(new Date(answered.getTime() + 86_400_000)) : null, dateHoldingAnswer: i % 50 === 3 ? day(tabled) : null,
      isNamedDay: i % 3 === 0, isWithdrawn: false, groupedQuestions: i % 4 === 0 ? [String(((i + 1) % 400_000) + 1)] : [], attachments: [],
    };
    await write(`${i === 0 ? '' : ','}\n${JSON.stringify({ value, links: [] })}`);
  }
  await write('\n]\n');
  await new Promise<void>((resolve) => out.end(resolve));
}


if (process.argv[1]?.endsWith('synthetic-questions.ts') && process.argv[2]) await writeSynthetic(process.argv[2], Number(process.argv[3] ?? 1000));
