// The navigation between the sections of an area (settings, the creator's dashboard): a labelled
// landmark. The link of the page shown carries aria-current="page"; on a page further inside a
// section (an editor, a confirmation) the section's link carries aria-current="true". Wide screens show it as a column
// beside the content; phones as one row of pills that scrolls sideways (css/section-nav.css).
// Labels are escaped here (`safe`).

export interface SectionLink<Key extends string> {
  key: Key;
  href: string;
  label: string;
}

export interface SectionNavProps<Key extends string> {
  /** names the landmark: "Settings sections", "Dashboard" */
  label: string;
  links: readonly SectionLink<Key>[];
  current: Key | undefined;
  /** the page shown is inside the current section, not the page its link opens */
  within?: boolean | undefined;
}

export function SectionNav<Key extends string>(props: SectionNavProps<Key>): JSX.Element {
  return (
    <nav class="section-nav" aria-label={props.label}>
      <ul class="section-nav__list">
        {props.links.map((link) => (
          <li>
            <a
              class="section-nav__link"
              href={link.href}
              aria-current={link.key !== props.current ? undefined : props.within ? 'true' : 'page'}
              safe
            >
              {link.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
