import { buildArticle, writeKb } from '../helpers/articles.ts';
import { tempDir } from '../helpers/tempDir.ts';

/** The routing of the triage specs: paid incidents first, outages to the network team, defaults for the rest. */
export const TRIAGE_ROUTING = `# Routing for the triage specs
defaults:
  team: helpdesk
  priority: P3
teams:
  billing: { queue: priority }
  helpdesk: { queue: fifo }
rules:
  - name: paying customers with an incident
    when: { type: incident, attributes: { plan: paid } }
    set: { priority: P1, tags: [vip] }
  - name: outages
    when: { words: [outage, caído] }
    set: { type: incident, priority: P2, team: network }
`;

/** Around the clock (so an HTTP spec can check due times without a fake clock): P1 1 h, P2 4 h, P3 8 h to reply. */
export const TRIAGE_SLA = `timezone: Europe/Madrid
warningAt: 0.8
targets:
  P1: { firstResponse: 1h, resolution: 8h }
  P2: { firstResponse: 4h }
  P3: { firstResponse: 8h, resolution: 40h }
`;

/** A KB whose billing article triages its tickets, and one that says nothing about tickets. */
export function triageKb(): { dir: string; cleanup: () => void } {
  const kb = tempDir('deflect-triage-kb-');
  writeKb(kb.dir, {
    'billing/double-charge.md': buildArticle(
      {
        id: 'double-charge',
        title: 'I was charged twice',
        category: 'Billing',
        tags: ['invoice'],
        questions: ['I was charged twice for my order', 'double charge on my card', 'my invoice shows two payments'],
        answer: 'A second charge is a pending authorisation: it disappears within 3 working days.',
        ticket_type: 'incident',
        team: 'billing',
      },
      '# Charged twice\n\nA second charge is a pending authorisation.\n',
    ),
    'printers/printer-jam.md': buildArticle(
      {
        id: 'printer-jam',
        title: 'Clear a printer jam',
        category: 'Printers',
        tags: ['printer'],
        questions: ['the printer is jammed', 'paper stuck in the printer'],
        answer: 'Open tray 2, pull the paper out gently and close the tray.',
      },
      '# Clear a printer jam\n\nOpen tray 2.\n',
    ),
    '_routing.yml': TRIAGE_ROUTING,
    '_sla.yml': TRIAGE_SLA,
  });
  return kb;
}
