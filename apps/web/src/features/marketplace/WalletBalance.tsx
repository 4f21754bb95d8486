import { formatOmr } from '../../lib/money';
import { useWallet } from './queries';

/** The wallet balance for the page header. */
export function WalletBalance() {
  const wallet = useWallet();
  return (
    <div className="wallet" aria-live="polite">
      <span className="wallet__label">Balance</span>
      <strong className="wallet__amount" data-testid="wallet-balance">
        {wallet.data ? formatOmr(wallet.data.balanceBaisa) : wallet.isError ? 'unavailable' : '…'}
      </strong>
    </div>
  );
}
