// What a signed-in fan sees on a dashboard page (requireCreator): how to turn on creating.
import { LinkButton } from './components.js';
import { DashboardFrame } from './dashboard-frame.js';

export function NotCreatorPage(): JSX.Element {
  return (
    <DashboardFrame
      section={undefined}
      nav={false}
      title="Start creating"
      lead="The dashboard is where creators publish and sell their work."
    >
      <section class="dashboard-card" aria-labelledby="turn-on-title">
        <h2 id="turn-on-title">Turn on creating</h2>
        <p>
          Your account is a fan account for now: you can buy, tip, join memberships and collect. To
          publish your own music, writing, video, software or files, turn on creating and choose a
          tier. Fans' payments stay yours, less only the card processor's fee; the tier sets your
          storage and is not charged yet.
        </p>
        <div class="dashboard__actions">
          <LinkButton href="/join/create">Turn on creating</LinkButton>
          <LinkButton href="/settings" variant="secondary">
            Your settings
          </LinkButton>
        </div>
      </section>
    </DashboardFrame>
  );
}
