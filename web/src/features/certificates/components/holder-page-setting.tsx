import { Alert } from '../../../components/alert';
import { useHolderPageSetting, useSetHolderPage } from '../api/holder-page';
import { CopyButton } from './copy-button';

/**
 * The opt-in public page listing the holder's valid certificates. Off by default; turning it on again after
 * turning it off gives a new address, and the page says so before the holder turns it off.
 */
export function HolderPageSetting() {
  const setting = useHolderPageSetting();
  const change = useSetHolderPage();
  const on = setting.data?.enabled === true;
  // Not `disabled` while saving: a disabled button drops the focus to the page; the keyboard user's focus stays
  // on it and the live region above says the new state.
  const set = (value: boolean) => {
    if (!change.isPending) change.mutate(value);
  };
  return (
    <section aria-labelledby="holder-page" className="holder-page-setting">
      <h2 id="holder-page">Your public page</h2>
      <p>
        A page anyone with its link can open, listing your valid certificates under the name printed on them (not suspended, revoked or
        expired ones). Nobody can find it without the link.
      </p>
      {setting.error && <Alert>{setting.error.message}</Alert>}
      {change.error && <Alert>{change.error.message}</Alert>}
      {setting.data && (
        <>
          <p role="status">
            {on ? (
              <>
                Your public page is on: <a href={setting.data.url!}>{setting.data.url}</a>
              </>
            ) : (
              'Your public page is off.'
            )}
          </p>
          <p className="actions">
            <button type="button" className={on ? 'button-secondary' : undefined} onClick={() => set(!on)}>
              {on ? 'Turn off my public page' : 'Turn on my public page'}
            </button>
            {on && <CopyButton text={setting.data.url!} label="Copy the link to your public page" />}
          </p>
          {on && <p className="hint">Turning it off makes its link stop working at once; turning it on again gives a new link.</p>}
        </>
      )}
    </section>
  );
}
