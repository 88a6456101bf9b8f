import { isRating, RATING_SCALE, type Rating } from '../lib/scoring';

interface CriterionRatingProps {
  code: string;
  text: string;
  rating: Rating | undefined;
  onRate: (code: string, rating: Rating) => void;
}

/**
 * One criterion as a radio group: a fieldset whose legend is the criterion, so a screen reader announces it
 * with each choice, and the arrow keys move between the choices as in any native radio group.
 */
export function CriterionRating({ code, text, rating, onRate }: CriterionRatingProps) {
  const rated = isRating(rating);
  return (
    <fieldset className={`sa-criterion${rated ? '' : ' sa-unrated'}`}>
      <legend>
        <span className="sa-code">{code}</span> {text}
        {!rated && <span className="sa-unrated-tag"> (not rated yet)</span>}
      </legend>
      <div className="sa-scale">
        {RATING_SCALE.map((s) => {
          const id = `rating-${code}-${s.value}`;
          return (
            <div className="sa-choice" key={s.value}>
              <input
                type="radio"
                id={id}
                name={`rating-${code}`}
                value={s.value}
                checked={rating === s.value}
                onChange={() => onRate(code, s.value)}
              />
              <label htmlFor={id}>{s.label}</label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}
