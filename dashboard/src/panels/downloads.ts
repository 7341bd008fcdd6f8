// The downloads panel: each button saves one report as CSV for the period.
import { el } from '../dom.ts';

/** Fetches a report as CSV; `report` and `group` come from the button's data-report and data-group. */
export type FetchCsv = (
  report: string,
  groupBy: string | undefined,
) => Promise<{ blob: Blob; name: string } | undefined>;

/** Wires every `button.csv` of the page to save its report. */
export function wireDownloads(doc: Document, fetchCsv: FetchCsv): void {
  for (const button of doc.querySelectorAll<HTMLButtonElement>('button.csv')) {
    button.addEventListener('click', async () => {
      const { report, group } = button.dataset;
      if (!report) return;
      const file = await fetchCsv(report, group);
      if (file) save(doc, file.blob, file.name);
    });
  }
}

/** Saves a blob as a file through a temporary link (the browser's download). */
function save(doc: Document, blob: Blob, name: string): void {
  const a = el('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  doc.body.append(a);
  a.click();
  a.remove();
  // The download has started by then; the URL only holds the blob in memory.
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
