/**
 * Governance: every proposal with its status, tally (votes by option), voting end and
 * enactment times; the roles and their permissions; the councilors; and a lookup of the
 * roles and permissions of any address.
 */
import { useState } from 'preact/hooks';
import {
  actorOf,
  actorStatusName,
  councilorStatusName,
  councilors,
  permissionName,
  proposals,
  roles,
  voteResultName,
  type ProposalRow,
  type Tally,
} from '../chain';
import { duration, timeText, unixSeconds } from '../format';
import { useChain, useLive } from '../live';
import { ErrorNote, Facts, Loading } from './common';

function TallyBar({ tally }: { tally: Tally }) {
  const total = tally.yes + tally.no + tally.abstain + tally.veto;
  const part = (n: number) => `${total === 0 ? 0 : (100 * n) / total}%`;
  return (
    <div class="tally" data-testid="tally">
      <div class="bar" aria-hidden="true">
        <span class="yes" style={`width: ${part(tally.yes)}`} />
        <span class="no" style={`width: ${part(tally.no)}`} />
        <span class="veto" style={`width: ${part(tally.veto)}`} />
        <span class="abstain" style={`width: ${part(tally.abstain)}`} />
      </div>
      <span class="tally-text">
        yes <b data-vote="yes">{tally.yes}</b> · no <b data-vote="no">{tally.no}</b> · veto <b data-vote="veto">{tally.veto}</b> · abstain{' '}
        <b data-vote="abstain">{tally.abstain}</b>
      </span>
    </div>
  );
}

/** Long lists (sudo holds every permission) fold away behind their count. */
function PermissionList({ perms }: { perms: number[] }) {
  if (perms.length === 0) return <>–</>;
  const text = perms.map(permissionName).join(', ');
  if (perms.length <= 6) return <>{text}</>;
  return (
    <details>
      <summary>{perms.length} permissions</summary>
      {text}
    </details>
  );
}

function ProposalCard({ row, now }: { row: ProposalRow; now: number | undefined }) {
  const p = row.proposal;
  const status = voteResultName(p.result);
  const votingLeft = now !== undefined ? Number(p.votingEndTime) - now : 0;
  return (
    <article class="card" data-proposal={p.proposalId.toString()}>
      <h3>
        #{p.proposalId.toString()} {p.title}
      </h3>
      <p class="summary">{p.description}</p>
      <Facts
        items={[
          ['Status', <span class={`badge badge-${status === 'PASSED' ? 'active' : status === 'PENDING' || status === 'ENACTMENT' ? 'paused' : 'inactive'}`} data-testid="proposal-status">{status}</span>],
          ['Type', p.content?.typeUrl.replace(/^\/sekai\.\w+\.v1\./, '') ?? '–'],
          ['Tally', <TallyBar tally={row.tally} />],
          ['Voting ends', `${timeText(p.votingEndTime)}${votingLeft > 0 ? ` (in ${duration(votingLeft)})` : ''}, not before height ${p.minVotingEndBlockHeight}`],
          ['Enactment', `${timeText(p.enactmentEndTime)}, not before height ${p.minEnactmentEndBlockHeight}`],
          ['Proposer', <a href={`#/account/${p.proposer}`}>account {p.proposer.toString()}</a>],
          ...(p.execResult ? [['Execution', p.execResult] as [string, string]] : []),
        ]}
      />
    </article>
  );
}

function PermissionLookup() {
  const [address, setAddress] = useState('');
  const [asked, setAsked] = useState('');
  const actor = useLive(async (rpc) => (asked ? { actor: await actorOf(rpc, asked), roles: await roles(rpc) } : undefined), [asked], { live: false });
  return (
    <div>
      <form
        class="search"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(address.trim());
        }}
      >
        <label class="visually-hidden" for="perm-address">
          Address
        </label>
        <input id="perm-address" value={address} onInput={(e) => setAddress(e.currentTarget.value)} placeholder="kira1… address" />
        <button type="submit">Show permissions</button>
      </form>
      {asked && actor.error && <ErrorNote text={actor.error} />}
      {asked && actor.data && !actor.data.actor && <p class="empty">{asked} holds no role or permission.</p>}
      {actor.data?.actor && (
        <Facts
          items={[
            ['Status', actorStatusName(actor.data.actor.status)],
            ['Roles', actor.data.actor.roles.map((id) => actor.data!.roles.find((r) => BigInt(r.id) === id)?.sid ?? `role ${id}`).join(', ') || '–'],
            ['Whitelisted', actor.data.actor.permissions?.whitelist.map(permissionName).join(', ') || '–'],
            ['Blacklisted', actor.data.actor.permissions?.blacklist.map(permissionName).join(', ') || '–'],
          ]}
        />
      )}
    </div>
  );
}

export function GovernancePage() {
  const { latest } = useChain();
  const list = useLive(proposals, []);
  const meta = useLive(async (rpc) => ({ roles: await roles(rpc), councilors: await councilors(rpc) }), []);
  const now = unixSeconds(latest?.time);
  return (
    <section>
      <h1>Governance</h1>
      <h2>Proposals</h2>
      {list.error && <ErrorNote text={list.error} />}
      {!list.data ? (
        !list.error && <Loading what="proposals" />
      ) : list.data.length === 0 ? (
        <p class="empty">No proposals yet.</p>
      ) : (
        <div class="cards">
          {list.data.map((row) => (
            <ProposalCard key={row.proposal.proposalId.toString()} row={row} now={now} />
          ))}
        </div>
      )}
      <h2>Permissions of an address</h2>
      <PermissionLookup />
      <h2>Roles</h2>
      {meta.error && <ErrorNote text={meta.error} />}
      {meta.data ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">ID</th>
                <th scope="col">Role</th>
                <th scope="col">Whitelisted permissions</th>
              </tr>
            </thead>
            <tbody>
              {meta.data.roles.map((r) => (
                <tr key={r.id}>
                  <td class="num">{r.id}</td>
                  <td>
                    {r.sid}
                    <div class="summary">{r.description}</div>
                  </td>
                  <td class="wrap">
                    <PermissionList perms={r.permissions?.whitelist ?? []} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        !meta.error && <Loading what="roles" />
      )}
      <h2>Councilors</h2>
      {meta.data &&
        (meta.data.councilors.length === 0 ? (
          <p class="empty">No councilors.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">Rank</th>
                  <th scope="col" class="num">Abstentions</th>
                </tr>
              </thead>
              <tbody>
                {meta.data.councilors.map((c) => (
                  <tr key={c.accountId.toString()}>
                    <td>
                      <a href={`#/account/${c.accountId}`}>account {c.accountId.toString()}</a>
                    </td>
                    <td>{councilorStatusName(c.status)}</td>
                    <td class="num">{c.rank.toString()}</td>
                    <td class="num">{c.abstentionCounter.toString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
