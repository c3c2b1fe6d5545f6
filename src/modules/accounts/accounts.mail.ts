// The account emails, as plain text (every client shows it, nothing to escape or track).
import type { MailMessage } from '../../platform/mail/mail.js';

const SIGNATURE = '\n\n— Makenot.work\nIf you did not expect this email, you can ignore it.';

export function verifyEmailMail(to: string, name: string, link: string): MailMessage {
  return {
    to,
    subject: 'Confirm your email address',
    text: `Hi ${name},\n\nConfirm that this is your address by opening this link (valid for 24 hours):\n\n${link}${SIGNATURE}`,
  };
}

export function resetPasswordMail(to: string, name: string, link: string): MailMessage {
  return {
    to,
    subject: 'Reset your password',
    text: `Hi ${name},\n\nSomeone (hopefully you) asked to reset the password of your account. Choose a new one here (the link works once, for 30 minutes):\n\n${link}${SIGNATURE}`,
  };
}

export function unlockMail(to: string, name: string, link: string): MailMessage {
  return {
    to,
    subject: 'Sign-ins to your account are paused',
    text: `Hi ${name},\n\nThere were several failed attempts to sign in to your account from a device you have not used before, so we paused sign-ins from new devices for 15 minutes. Devices you already use are not affected.\n\nIf it was you, open this link in the browser you want to use to unlock your account (valid for one hour):\n\n${link}\n\nIf it was not you, your password held. Consider adding a passkey or two-factor authentication in your security settings.${SIGNATURE}`,
  };
}

export function newSignInMail(to: string, name: string, device: string, when: Date): MailMessage {
  return {
    to,
    subject: 'New sign-in to your account',
    text: `Hi ${name},\n\nYour account was signed in to from a new device:\n\n  ${device}\n  ${when.toUTCString()}\n\nIf this was you, there is nothing to do. If not, change your password and sign out the other sessions in your security settings.${SIGNATURE}`,
  };
}

export function confirmNewEmailMail(to: string, name: string, link: string): MailMessage {
  return {
    to,
    subject: 'Confirm your new email address',
    text: `Hi ${name},\n\nConfirm that you want to use this address for your account (the link is valid for 24 hours):\n\n${link}${SIGNATURE}`,
  };
}

export function emailChangedNotice(to: string, name: string, newEmail: string): MailMessage {
  return {
    to,
    subject: 'Your account email was changed',
    text: `Hi ${name},\n\nThe email address of your account was changed to ${newEmail}. This address will no longer receive mail about the account.\n\nIf you did not do this, reset your password right away and contact support.${SIGNATURE}`,
  };
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** `signedOut`: what the change ended, when it signed out everywhere (else) too. */
export function passwordChangedNotice(
  to: string,
  name: string,
  signedOut?: { sessions: number; tokens: number },
): MailMessage {
  const ended = signedOut
    ? `\n\n${plural(signedOut.sessions, 'session was', 'sessions were')} signed out and ${plural(signedOut.tokens, 'personal access token was', 'personal access tokens were')} revoked. Scripts that used a token need a new one (Settings → Security).`
    : '';
  return {
    to,
    subject: 'Your password was changed',
    text: `Hi ${name},\n\nThe password of your account was just changed.${ended}\n\nIf you did not do this, reset it now from the sign-in page.${SIGNATURE}`,
  };
}
