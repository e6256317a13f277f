/**
 * The referral summary: the same plain text to read, copy and print. Without JavaScript the text
 * can be selected, and downloaded as a .txt file; with it, "Copy as text" and "Print" buttons
 * appear (they are only rendered once they can work). The print stylesheet prints this section
 * alone, on one A4 page.
 */
import { useEffect, useState } from "react";
import { useTranslator } from "#app/i18n/use-translator";

export function ReferralSummary({ text, downloadHref }: { text: string; downloadHref: string }) {
  const { t } = useTranslator();
  const [canUseButtons, setCanUseButtons] = useState(false);
  const [message, setMessage] = useState("");
  useEffect(() => setCanUseButtons(true), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setMessage(t("referral.copied"));
    } catch {
      setMessage(t("referral.copyFailed"));
    }
  }

  return (
    <section className="referral" aria-labelledby="henvisning-tittel" id="henvisning">
      <h2 id="henvisning-tittel">{t("referral.title")}</h2>
      <p className="no-print">{t("referral.intro")}</p>
      <div className="referral-actions no-print">
        {canUseButtons ? (
          <>
            <button type="button" onClick={copy}>
              {t("referral.copy")}
            </button>
            <button type="button" className="secondary" onClick={() => window.print()}>
              {t("referral.print")}
            </button>
          </>
        ) : null}
        <a href={downloadHref} download>
          {t("referral.download")}
        </a>
      </div>
      <p role="status" className="copy-status no-print">
        {message}
      </p>
      <pre className="referral-text" id="henvisning-tekst" tabIndex={0} aria-labelledby="henvisning-tittel">
        {text}
      </pre>
    </section>
  );
}
