// The front page: what the platform is, its three promises, the tier table, and the newest
// releases and featured creators (empty until the catalogue fills them in).
import {
  CreatorGrid,
  ItemGrid,
  type CreatorCardData,
  type ItemCardData,
} from '../../../platform/views/cards.js';
import { EmptyState, LinkButton } from '../../../platform/views/components.js';
import { TIERS, TierTable } from './tiers.js';

const LOWEST_MONTHLY_FEE = Math.min(...TIERS.map((tier) => tier.monthlyUsd));

export interface HomePageProps {
  newReleases: readonly ItemCardData[];
  featuredCreators: readonly CreatorCardData[];
}

function Hero() {
  return (
    <section class="hero" aria-labelledby="hero-title">
      <div class="wrap hero__inner">
        <div class="hero__copy">
          <p class="eyebrow">For musicians, writers, filmmakers and developers</p>
          <h1 id="hero-title" class="hero__title">
            Make work. Get paid. <span class="hero__accent">We take none of it.</span>
          </h1>
          <p class="hero__lead">
            Sell music, video, writing, software and downloads straight to the people who love them.
            We take nothing from your sales, tips or memberships; only the card processor’s fee
            comes off. Plans are one flat monthly fee for storage, and billing has not started yet:
            creators who join now are not charged for their plan.
          </p>
          <div class="hero__actions">
            <LinkButton href="/join">Join as a creator</LinkButton>
            <LinkButton href="/discover" variant="secondary">
              Discover new work
            </LinkButton>
          </div>
          <ul class="hero__facts" role="list">
            <li>0% platform cut</li>
            <li>Memberships and tips</li>
            <li>Self-hostable</li>
          </ul>
        </div>
        <Receipt />
      </div>
    </section>
  );
}

/** A worked example of where a fan's money goes: the promise, in numbers. */
function Receipt() {
  return (
    <figure class="receipt">
      <table class="receipt__table">
        <caption class="receipt__caption">
          <span class="receipt__label">Receipt</span> One album, sold for $12
        </caption>
        <tbody>
          <tr>
            <th scope="row">Your fan pays</th>
            <td>$12.00</td>
          </tr>
          <tr>
            <th scope="row">Makenot.work takes</th>
            <td class="receipt__zero">$0.00</td>
          </tr>
          <tr>
            <th scope="row">Card processor fee*</th>
            <td>−$0.65</td>
          </tr>
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">You keep</th>
            <td>$11.35</td>
          </tr>
        </tfoot>
      </table>
      <figcaption class="receipt__note">
        *A typical card fee (2.9% + 30¢). It goes to the payment processor, not to us.
      </figcaption>
    </figure>
  );
}

function Promises() {
  return (
    <section class="section promises" aria-labelledby="promises-title">
      <div class="wrap">
        <h2 id="promises-title" class="section__title">
          Three promises, built into the platform
        </h2>
        <ul class="promise-grid" role="list">
          <li class="promise">
            <p class="promise__figure" aria-hidden="true">
              0%
            </p>
            <h3 class="promise__title">No cut of your sales</h3>
            <p>
              Fixed prices, pay-what-you-want, tips and memberships land in your balance with only
              the processor’s fee taken off, and every receipt shows that fee.
            </p>
          </li>
          <li class="promise">
            <p class="promise__figure" aria-hidden="true">
              ${LOWEST_MONTHLY_FEE}
            </p>
            <h3 class="promise__title">Flat pricing by tier</h3>
            <p>
              Plans are priced by the storage you need, not a share of your success: the same
              whether you sell ten copies or ten thousand. <a href="#pricing">Compare tiers</a>
            </p>
          </li>
          <li class="promise">
            <p class="promise__figure" aria-hidden="true">
              ↗
            </p>
            <h3 class="promise__title">Your work is yours</h3>
            <p>
              Every file you upload can be downloaded again exactly as it went in, once processed.
              Your projects, items and sales are yours to read through the API, your members
              download as CSV, and the whole platform runs on your own server if you prefer.
            </p>
          </li>
        </ul>
      </div>
    </section>
  );
}

function Pricing() {
  return (
    <section class="section section--sunk pricing" id="pricing" aria-labelledby="pricing-title">
      <div class="wrap">
        <div class="section__head">
          <h2 id="pricing-title" class="section__title">
            One flat fee. Choose by storage.
          </h2>
          <p class="section__lead">
            Every tier sells without limits and takes 0% of what fans pay. Tiers differ only in how
            big your files are and how much you keep on the shelf. Billing has not started yet: the
            tier you choose sets your storage, and nobody is charged for it today.
          </p>
        </div>
        <TierTable />
        <p class="pricing__note">
          Reached your total? New uploads are refused with a clear message; nothing you already
          uploaded is touched.
        </p>
      </div>
    </section>
  );
}

function NewReleases(props: { items: readonly ItemCardData[] }) {
  return (
    <section class="section" aria-labelledby="releases-title">
      <div class="wrap">
        <div class="section__head section__head--row">
          <h2 id="releases-title" class="section__title">
            New releases
          </h2>
          <a class="section__more" href="/discover">
            See everything new
          </a>
        </div>
        {props.items.length > 0 ? (
          <ItemGrid items={props.items} />
        ) : (
          <EmptyState
            title="Nothing released yet"
            action={<LinkButton href="/join">Publish the first release</LinkButton>}
          >
            <p>The newest albums, essays, films and tools appear here the moment they go live.</p>
          </EmptyState>
        )}
      </div>
    </section>
  );
}

function FeaturedCreators(props: { creators: readonly CreatorCardData[] }) {
  return (
    <section class="section" aria-labelledby="creators-title">
      <div class="wrap">
        <div class="section__head section__head--row">
          <h2 id="creators-title" class="section__title">
            Featured creators
          </h2>
          <a class="section__more" href="/discover">
            Browse creators
          </a>
        </div>
        {props.creators.length > 0 ? (
          <CreatorGrid creators={props.creators} />
        ) : (
          <EmptyState
            title="No featured creators yet"
            action={
              <LinkButton href="/join" variant="secondary">
                Set up your profile
              </LinkButton>
            }
          >
            <p>People who publish here are featured on this page. Yours could be the first name.</p>
          </EmptyState>
        )}
      </div>
    </section>
  );
}

function ClosingCall() {
  return (
    <section class="section closing" aria-labelledby="closing-title">
      <div class="wrap closing__inner">
        <h2 id="closing-title" class="closing__title">
          Your next release deserves a fair home.
        </h2>
        <p class="closing__text">
          Set up a profile in minutes, upload your work, pick a price or let fans name one, and get
          paid out to your own account.
        </p>
        <div class="closing__actions">
          <LinkButton href="/join">Join as a creator</LinkButton>
          <LinkButton href="/discover" variant="ghost">
            Discover new work
          </LinkButton>
        </div>
      </div>
    </section>
  );
}

export function HomePage(props: HomePageProps): JSX.Element {
  return (
    <>
      <Hero />
      <Promises />
      <Pricing />
      <NewReleases items={props.newReleases} />
      <FeaturedCreators creators={props.featuredCreators} />
      <ClosingCall />
    </>
  );
}
