// The creator's licence page of a software item (licence-settings.pages.tsx): the activation
// limit form, then each issued key by its last characters with its status, its activations and
// a reset form per activation. Text props are escaped here (`safe`).
import { formatDate, isoDate } from '../../../platform/dates.js';
import { DashboardFrame } from '../../../platform/views/dashboard-frame.js';
import { CsrfField, FormProblem, TextField } from '../../../platform/views/forms.js';
import type { IssuedKeyJson } from '../licences.schemas.js';

export interface LicenceSettingsPageProps {
  item: { id: string; title: string };
  limit: string;
  error?: string | undefined;
  keys: IssuedKeyJson[];
  csrfToken: string;
  flash?: string | undefined;
}

function KeyRow(props: { itemId: string; entry: IssuedKeyJson; csrfToken: string }) {
  const { entry } = props;
  const name = `Key ending ${entry.suffix}`;
  return (
    <li class="issued-key" id={`key-${entry.id}`}>
      <p class="issued-key__line">
        <code class="issued-key__suffix" safe>{`…${entry.suffix}`}</code>
        <span class={`badge issued-key__status issued-key__status--${entry.status}`}>
          {entry.status === 'active' ? 'Active' : 'Revoked'}
        </span>
        <span class="issued-key__count" safe>
          {`${entry.activations.used} of ${entry.activations.limit} activations`}
        </span>
        <span class="issued-key__date">
          issued{' '}
          <time datetime={isoDate(entry.created_at)} safe>
            {formatDate(entry.created_at)}
          </time>
        </span>
      </p>
      {entry.instances.length === 0 ? (
        ''
      ) : (
        <ul class="issued-key__instances" role="list" aria-label={`${name}: activated on`}>
          {entry.instances.map((instance) => {
            const machine = instance.label ?? instance.instance_id;
            const action = `/dashboard/items/${props.itemId}/licence/activations/${instance.id}/reset`;
            return (
              <li class="issued-key__instance">
                <span safe>{machine}</span>
                <span class="issued-key__since">
                  since{' '}
                  <time datetime={isoDate(instance.created_at)} safe>
                    {formatDate(instance.created_at)}
                  </time>
                </span>
                <form method="post" action={action} class="inline-form">
                  <CsrfField token={props.csrfToken} />
                  <button type="submit" class="button button--secondary button--small">
                    Reset
                    <span
                      class="visually-hidden"
                      safe
                    >{` ${machine} of ${name.toLowerCase()}`}</span>
                  </button>
                </form>
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}

export function LicenceSettingsPage(props: LicenceSettingsPageProps): JSX.Element {
  const { item } = props;
  return (
    <DashboardFrame
      section="projects"
      within
      title="Licence keys"
      lead={`Every buyer of ‘${item.title}’ gets a key; here you choose how many machines it unlocks.`}
      back={{ href: `/dashboard/items/${item.id}`, label: item.title }}
      flash={props.flash}
    >
      <section class="dashboard-card" aria-labelledby="limit-title">
        <h2 id="limit-title">Activation limit</h2>
        <FormProblem
          errors={props.error ? { activation_limit: props.error } : undefined}
          labels={{ activation_limit: 'Machines per key' }}
          focus={props.error !== undefined}
        />
        <form method="post" action={`/dashboard/items/${item.id}/licence`}>
          <CsrfField token={props.csrfToken} />
          <TextField
            label="Machines per key"
            name="activation_limit"
            type="number"
            inputmode="numeric"
            value={props.limit}
            required
            error={props.error}
            hint="From 1 to 1000. A new limit counts for every key, the ones already issued too."
          />
          <button type="submit" class="button button--primary">
            Save limit
          </button>
        </form>
      </section>
      <section class="dashboard-card" id="keys" aria-labelledby="keys-title">
        <h2 id="keys-title">Issued keys</h2>
        {props.keys.length === 0 ? (
          <p>No keys yet. Each sale issues one.</p>
        ) : (
          <ol class="issued-keys" role="list">
            {props.keys.map((entry) => (
              <KeyRow itemId={item.id} entry={entry} csrfToken={props.csrfToken} />
            ))}
          </ol>
        )}
        <p class="issued-keys__note">
          Only the last characters of a key show here: the key is its buyer’s. A key stops working
          when its order is refunded in full or disputed.
        </p>
      </section>
    </DashboardFrame>
  );
}
