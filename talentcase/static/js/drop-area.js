// The documents page's drop area: choose or drop several files, say (or let us guess) which document each one is,
// and check size and type before anything is sent. Without this script the same form works with its three plain
// slots; the server checks every file again and is the authority.
(function () {
  "use strict";

  function normalise(name) {
    return " " + name.toLowerCase().replace(/[\s_.\-]+/g, " ") + " ";
  }

  function guess(name, table) {
    var text = normalise(name);
    var found = Object.keys(table).filter(function (slug) {
      return table[slug].some(function (word) {
        return text.indexOf(" " + word + " ") !== -1 || (word.length > 4 && text.indexOf(word) !== -1);
      });
    });
    return found.length === 1 ? found[0] : "";
  }

  function isAccepted(file, types) {
    if (types.indexOf(file.type) !== -1) {
      return true;
    }
    return !file.type && /\.(pdf|jpe?g|png)$/i.test(file.name); // some systems give no type: judge by the name
  }

  function say(template, name) {
    return template.replace("{name}", name);
  }

  function enhance(area) {
    var form = area.closest("form");
    var maxBytes = parseInt(area.dataset.maxBytes, 10);
    var types = area.dataset.types.split(" ");
    var table = JSON.parse(area.dataset.guesses || "{}");
    var options = document.getElementById("drop-options");
    var slots = area.querySelector(".drop-slots");
    var counter = 0;

    slots.hidden = true;
    slots.querySelectorAll("input, select").forEach(function (control) {
      control.disabled = true; // the list below sends the files instead
    });

    var zone = document.createElement("div");
    zone.className = "drop-zone";
    var picker = document.createElement("input");
    picker.type = "file";
    picker.multiple = true;
    picker.id = "drop-input";
    picker.accept = ".pdf,.jpg,.jpeg,.png";
    var label = document.createElement("label");
    label.htmlFor = "drop-input";
    label.className = "label";
    label.textContent = area.dataset.pick;
    zone.appendChild(label);
    zone.appendChild(picker);
    var list = document.createElement("ul");
    list.className = "drop-list";
    list.setAttribute("aria-live", "polite");
    var problem = document.createElement("p");
    problem.className = "error-message";
    problem.hidden = true;
    area.appendChild(zone);
    area.appendChild(problem);
    area.appendChild(list);

    function addFile(file) {
      counter += 1;
      var item = document.createElement("li");
      item.className = "drop-file";
      var name = document.createElement("span");
      name.className = "drop-file-name";
      name.textContent = file.name;
      item.appendChild(name);
      var refusal = null;
      if (!isAccepted(file, types)) {
        refusal = say(area.dataset.badType, file.name);
      } else if (file.size > maxBytes) {
        refusal = say(area.dataset.tooLarge, file.name);
      }
      if (refusal) {
        var message = document.createElement("p");
        message.className = "error-message drop-refused";
        message.textContent = refusal;
        item.appendChild(message);
        list.appendChild(item);
        return;
      }
      var selectId = "drop-choice-" + counter;
      var choiceLabel = document.createElement("label");
      choiceLabel.htmlFor = selectId;
      choiceLabel.className = "visually-hidden";
      choiceLabel.textContent = area.dataset.choose + ": " + file.name;
      var select = document.createElement("select");
      select.className = "input";
      select.name = "item";
      select.id = selectId;
      var blank = document.createElement("option");
      blank.value = "";
      blank.textContent = area.dataset.choose;
      select.appendChild(blank);
      select.appendChild(options.content.cloneNode(true));
      select.value = guess(file.name, table);
      var holder = document.createElement("input");
      holder.type = "file";
      holder.name = "file";
      holder.hidden = true;
      var transfer = new DataTransfer();
      transfer.items.add(file);
      holder.files = transfer.files;
      item.appendChild(choiceLabel);
      item.appendChild(select);
      item.appendChild(holder);
      list.appendChild(item);
    }

    function addFiles(files) {
      problem.hidden = true;
      Array.prototype.forEach.call(files, addFile);
      picker.value = "";
    }

    picker.addEventListener("change", function () {
      addFiles(picker.files);
    });
    zone.addEventListener("dragover", function (event) {
      event.preventDefault();
      zone.classList.add("drop-zone-over");
    });
    zone.addEventListener("dragleave", function () {
      zone.classList.remove("drop-zone-over");
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("drop-zone-over");
      addFiles(event.dataTransfer.files);
    });
    form.addEventListener("submit", function (event) {
      var choices = list.querySelectorAll("select");
      var unchosen = Array.prototype.filter.call(choices, function (select) {
        return !select.value;
      });
      if (choices.length === 0 || unchosen.length > 0) {
        event.preventDefault(); // nothing is sent (the double-submit guard sees it cancelled and starts no window)
        problem.textContent = choices.length === 0 ? area.dataset.none : area.dataset.choose;
        problem.hidden = false;
        (unchosen[0] || picker).focus();
      }
    });
  }

  document.querySelectorAll(".drop-area").forEach(enhance);
})();
