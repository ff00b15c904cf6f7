import fs from 'node:fs';
import path from 'node:path';
import { GOV_PROPOSAL_TYPES, govProposals } from './proposals';
import { GovKeeper } from './keeper';
import { proposalContentTypes } from './json';

describe('x/gov proposal types', () => {
  it("the README's table lists exactly the rows of GOV_PROPOSAL_TYPES", () => {
    const text = fs.readFileSync(path.join(__dirname, 'README.md'), 'utf8');
    const section = text.slice(text.indexOf('## Proposal types'));
    const listed = [...section.matchAll(/^\| `(\w+)` \| (\d+) \| (\d+) \| (.+) \|$/gm)].map((m) => m.slice(1).join(' | '));
    expect(listed).toEqual(GOV_PROPOSAL_TYPES.map((t) => [t.message, t.create, t.vote, t.description].join(' | ')));
  });

  it('each row becomes one handler with its type URL, permissions and description', () => {
    const handlers = govProposals(new GovKeeper({ accounts: {} as never, upgrades: {} as never }));
    expect(handlers.map((h) => [h.typeUrl, h.type, h.createPermission, h.votePermission, h.description])).toEqual(
      GOV_PROPOSAL_TYPES.map((t) => [`/sekai.gov.v1.${t.message}`, t.type, t.create, t.vote, t.description]),
    );
  });

  it("query output decodes every gov content and other modules' contents", () => {
    for (const t of GOV_PROPOSAL_TYPES) expect(proposalContentTypes()[`/sekai.gov.v1.${t.message}`]).toBe(t.codec);
    for (const url of ['/sekai.gov.v1.ProposalUnjailValidator', '/sekai.slashing.v1.ProposalResetWholeValidatorRank', '/sekai.notarypay.v1.ProposalAddNotaryEra', '/sekai.notarypay.v1.ProposalRebindNotaryPayout']) {
      expect(proposalContentTypes()[url]).toBeDefined();
    }
  });
});
