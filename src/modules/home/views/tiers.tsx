// The creator tiers as shown on the home page (PRODUCT.md). The billing module will own these
// numbers once it exists; until then this table is the one place they are written down.
export interface TierRow {
  id: 'basic' | 'small_files' | 'big_files' | 'everything';
  name: string;
  monthlyUsd: number;
  perFile: string;
  total: string;
}

export const TIERS: readonly TierRow[] = [
  { id: 'basic', name: 'Basic', monthlyUsd: 16, perFile: '10 MB', total: '50 GB' },
  { id: 'small_files', name: 'Small files', monthlyUsd: 24, perFile: '500 MB', total: '250 GB' },
  { id: 'big_files', name: 'Big files', monthlyUsd: 36, perFile: '20 GB', total: '500 GB' },
  { id: 'everything', name: 'Everything', monthlyUsd: 60, perFile: '20 GB', total: '500 GB' },
];

export function TierTable(props: { tiers?: readonly TierRow[] }): JSX.Element {
  const tiers = props.tiers ?? TIERS;
  return (
    // Focusable so keyboard users can scroll it sideways at phone width.
    <div class="table-scroll" role="region" aria-label="Creator tiers" tabindex="0">
      <table class="tier-table">
        <caption class="visually-hidden">Creator tiers: monthly fee and storage limits</caption>
        <thead>
          <tr>
            <th scope="col">Tier</th>
            <th scope="col">Per month</th>
            <th scope="col">Largest file</th>
            <th scope="col">Total storage</th>
            <th scope="col">Platform cut</th>
          </tr>
        </thead>
        <tbody>
          {tiers.map((tier) => (
            <tr>
              <th scope="row" safe>
                {tier.name}
              </th>
              <td class="tier-table__price">
                <span class="tier-table__amount">${tier.monthlyUsd}</span>
              </td>
              <td safe>{tier.perFile}</td>
              <td safe>{tier.total}</td>
              <td class="tier-table__cut">0%</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
