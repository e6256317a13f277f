/** The body of every error boundary: what went wrong in plain words and where to go next. */
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import type { MessageKey } from "#app/i18n/messages/nb";
import { useTranslator } from "#app/i18n/use-translator";

export interface ErrorTexts {
  notFoundTitle: MessageKey;
  notFoundText: MessageKey;
  title: MessageKey;
  text: MessageKey;
  link: { to: string; label: MessageKey };
}

export const GENERIC_ERROR_TEXTS: ErrorTexts = {
  notFoundTitle: "error.notFound.title",
  notFoundText: "error.notFound.text",
  title: "error.generic.title",
  text: "error.generic.text",
  link: { to: "/", label: "error.home" },
};

export function ErrorPage({ texts = GENERIC_ERROR_TEXTS }: { texts?: ErrorTexts }) {
  const error = useRouteError();
  const { t, href } = useTranslator();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  // A signed-in page or action the person's role does not allow: say so, in the page's language.
  const forbidden = isRouteErrorResponse(error) && error.status === 403;
  const title = notFound ? texts.notFoundTitle : forbidden ? "error.forbidden.title" : texts.title;
  const text = notFound ? texts.notFoundText : forbidden ? "error.forbidden.text" : texts.text;
  // A post the page could not use (a bad hidden value, an unknown action): its own explanation, already in the page's language.
  const badRequest = isRouteErrorResponse(error) && error.status === 400 && typeof error.data === "string";
  return (
    <section aria-labelledby="feil-tittel">
      <h1 id="feil-tittel">{t(title)}</h1>
      <p>{badRequest ? error.data : t(text)}</p>
      <p>
        <Link to={href(texts.link.to)}>{t(texts.link.label)}</Link>
      </p>
    </section>
  );
}
