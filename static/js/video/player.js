// A comment's moment plays from there; "Use the paused moment" writes the player's time
// into the comment form, as minutes and seconds.
const player = document.querySelector("#video-player video, #video-player audio");
const momentField = document.querySelector("#video-comment-form [name=moment]");

document.querySelectorAll("[data-seek]").forEach((button) =>
  button.addEventListener("click", () => {
    player.currentTime = Number(button.dataset.seek);
    player.play().catch(() => {});
  }),
);

const asClock = (seconds) => {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
};

document.querySelector("[data-moment-now]")?.addEventListener("click", () => {
  player.pause();
  momentField.value = asClock(player.currentTime);
  momentField.focus();
});
// Pausing is how people pick a moment: the form follows the player until typed into.
let typed = false;
momentField?.addEventListener("input", () => (typed = true));
player?.addEventListener("pause", () => {
  if (!typed) momentField.value = asClock(player.currentTime);
});
