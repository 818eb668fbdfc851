counter = counter + 1;
function bump(step: number) {
  const counter = step;
  return counter;
}
